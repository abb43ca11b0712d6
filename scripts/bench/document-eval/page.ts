import type { Random } from './random.js';

/**
 * How a document looks: its typeface and size, and what happened to it on the way to the OCR
 * (printed to PDF, scanned crooked and grainy, faded, photographed under a lamp, or fed so far to
 * one side that the first letters fall off the page).
 */
export const FONTS = [
  "'DejaVu Sans', sans-serif", "'DejaVu Serif', serif", "'Liberation Sans', sans-serif", "'Liberation Serif', serif",
  "'DejaVu Sans Condensed', sans-serif", "'Liberation Sans Narrow', sans-serif", "'Liberation Mono', monospace", "'DejaVu Sans Mono', monospace",
] as const;

export type Noise = 'clean' | 'scan' | 'faint' | 'photo' | 'edge';

export interface Look {
  font: string;
  /** Body text, CSS pixels (a PNG is read at one pixel per CSS pixel, a PDF at 200 dpi). */
  size: number;
  noise: Noise;
}

export const describeLook = (look: Look): string =>
  `${look.font.split(',')[0]!.replaceAll("'", '')} ${look.size}px, ${look.noise}`;

export const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const GRAIN = (seed: number) => `url("data:image/svg+xml;utf8,${encodeURIComponent(
  `<svg xmlns='http://www.w3.org/2000/svg' width='300' height='300'><filter id='g'><feTurbulence type='fractalNoise' baseFrequency='0.9' numOctaves='2' seed='${seed}'/><feColorMatrix values='0 0 0 0 0.45  0 0 0 0 0.42  0 0 0 0 0.38  0 0 0 0.55 0'/></filter><rect width='300' height='300' filter='url(#g)'/></svg>`,
)}")`;

interface Treatment { background: string; ink: string; transform: string; filter: string; margin: string }

const treatment = (look: Look, random: Random): Treatment => {
  const tilt = (random.chance(0.5) ? -1 : 1) * (0.3 + random.next() * 1.2);
  switch (look.noise) {
    case 'clean': return { background: '#fff', ink: '#000', transform: 'none', filter: 'none', margin: '40px 56px' };
    case 'scan': return { background: `#f2eee4 ${GRAIN(random.int(1, 99))}`, ink: '#242424', transform: `rotate(${tilt.toFixed(2)}deg)`, filter: `blur(${(0.3 + random.next() * 0.4).toFixed(2)}px)`, margin: '44px 60px' };
    case 'faint': return { background: '#fbfbf8', ink: '#6f6f6f', transform: `rotate(${(tilt / 3).toFixed(2)}deg)`, filter: 'blur(0.35px)', margin: '40px 56px' };
    case 'photo': return {
      background: `radial-gradient(ellipse at ${random.int(20, 80)}% ${random.int(10, 60)}%, #fffdf7 0%, #e9e4d8 55%, #b9b3a6 100%)`,
      ink: '#1d1d1d', transform: `rotate(${(tilt * 1.3).toFixed(2)}deg) skewX(${(random.next() - 0.5).toFixed(2)}deg)`, filter: 'blur(0.5px)', margin: '48px 64px',
    };
    // The sheet lay too far left on the glass: the left margin is gone and a sliver of the first letters with it.
    case 'edge': return { background: '#f6f4ee', ink: '#202020', transform: 'none', filter: 'blur(0.3px)', margin: '40px 40px 40px -3px' };
  }
};

/** One sheet for a screenshot (PNG): the whole page inside the window, so nothing scrolls out. */
export const sheet = (body: string, look: Look, random: Random): string => {
  const t = treatment(look, random);
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin: 0; background: ${t.background}; overflow: hidden">
<div style="margin: ${t.margin}; font-family: ${look.font}; font-size: ${look.size}px; line-height: 1.35; color: ${t.ink}; transform: ${t.transform}; transform-origin: 0 0; filter: ${t.filter}">${body}</div>
</body></html>`;
};

/**
 * Pages for print to PDF, each on its own sheet; a scanned one keeps its blur and a third of its
 * tilt (turned about the top centre, so the text stays on the sheet, as a scanner's feeder keeps it).
 */
export const printed = (pages: string[], look: Look, random: Random): string => {
  const t = treatment(look, random);
  return `<!doctype html><html><head><meta charset="utf-8"><style>@page { size: A4; margin: 18mm 16mm; } section { break-after: page; } section:last-child { break-after: auto; }</style></head>
<body style="margin: 0; font-family: ${look.font}; font-size: ${look.size}px; line-height: 1.4; color: ${t.ink}">
${pages.map((page) => `<section style="transform: ${t.transform.replace(/rotate\(([-\d.]+)deg\)/, (_, angle: string) => `rotate(${(Number(angle) / 3).toFixed(2)}deg)`)}; transform-origin: 50% 0; filter: ${t.filter}">${page}</section>`).join('\n')}
</body></html>`;
};
