import type { Problem } from './errors.js';

export type Json = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX_SHOWN_KEY_LENGTH = 64;

/** The characters of a client's key shown as sent; any other is shown as "?". */
export const SHOWN_KEY_CHARACTERS = /[^\w.$[\]-]/g;
/** The same without brackets: POST /documents has always shown them as "?", and its 400 answers stay as they were. */
export const SHOWN_KEY_CHARACTERS_NO_BRACKETS = /[^\w.$-]/g;

/**
 * A problem for each key of `source` that is not `allowed`, named `${prefix}${key}`. The client chose
 * the key: it is shown printable, short, and free of the message's separators (": ", newlines).
 */
export const unknownFields = (source: Json, allowed: readonly string[], prefix = '', shown = SHOWN_KEY_CHARACTERS): Problem[] =>
  Object.keys(source)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ field: `${prefix}${key.replace(shown, '?').slice(0, MAX_SHOWN_KEY_LENGTH)}`, problem: 'is not a recognised field' }));
