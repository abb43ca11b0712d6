import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The engines docker-compose.yml starts take any credentials: reachable from the machine only. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as { services: Record<string, { ports?: string[] }> };

  it.each(Object.entries(compose.services))('publishes the ports of %s on 127.0.0.1 only', (_, service) => {
    expect(service.ports?.length).toBeGreaterThan(0);
    for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });
});
