import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import type { ImageRegistry } from '../../shared/ports/image-registry.js';

export interface RegistryHarness {
  registry: ImageRegistry;
  /** A push of `image` under `tag`, at `digest`. */
  push(image: string, tag: string, digest: string): Promise<void>;
  close(): Promise<void>;
}

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
let counter = 0;

export function imageRegistryContract(label: string, make: () => Promise<RegistryHarness>): void {
  describe(`ImageRegistry contract: ${label}`, () => {
    let h: RegistryHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(() => h.close());
    const image = (path = 'leakage-model'): string => {
      counter += 1;
      return `us-docker.pkg.dev/p/repo${counter}/${path}`;
    };
    const sorted = <T extends { tag: string }>(tags: T[]): T[] =>
      [...tags].sort((a, b) => a.tag.localeCompare(b.tag));

    it('lists tags with the digests they point at', async () => {
      const img = image();
      await h.push(img, '1.0.0', digest('a'));
      await h.push(img, '2.0.0', digest('b'));
      expect(sorted(await h.registry.listTags(img))).toEqual([
        { tag: '1.0.0', digest: digest('a') },
        { tag: '2.0.0', digest: digest('b') },
      ]);
    });

    it('handles nested image paths', async () => {
      const img = image('team/leakage-model');
      await h.push(img, 'v1', digest('c'));
      expect(await h.registry.listTags(img)).toEqual([{ tag: 'v1', digest: digest('c') }]);
    });

    it('creates a tag on an existing digest and moves an existing tag', async () => {
      const img = image();
      await h.push(img, '1.0.0', digest('a'));
      await h.push(img, '2.0.0', digest('b'));
      await h.registry.addTag(img, digest('a'), 'rollback-20260301t100000z');
      await h.registry.addTag(img, `${img}@${digest('b')}`, '1.0.0');
      expect(sorted(await h.registry.listTags(img))).toEqual([
        { tag: '1.0.0', digest: digest('b') },
        { tag: '2.0.0', digest: digest('b') },
        { tag: 'rollback-20260301t100000z', digest: digest('a') },
      ]);
    });

    it('tags gcr.io images, which Artifact Registry keeps in its gcr.io repositories', async () => {
      for (const host of ['gcr.io', 'eu.gcr.io']) {
        const img = `${host}/p/leakage-model-${(counter += 1)}`;
        await h.push(img, '1.0.0', digest('a'));
        await h.registry.addTag(img, `${img}@${digest('a')}`, 'rollback-20260301t100000z');
        expect(sorted(await h.registry.listTags(img))).toEqual([
          { tag: '1.0.0', digest: digest('a') },
          { tag: 'rollback-20260301t100000z', digest: digest('a') },
        ]);
      }
    });

    it('rejects images outside Artifact Registry with a PermanentError', async () => {
      await expect(h.registry.listTags('docker.io/library/nginx')).rejects.toBeInstanceOf(
        PermanentError,
      );
      await expect(
        h.registry.addTag('quay.io/p/leakage-model', digest('a'), 'x'),
      ).rejects.toBeInstanceOf(PermanentError);
    });
  });
}
