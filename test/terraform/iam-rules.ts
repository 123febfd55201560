import type { TfFile } from './hcl.js';
import { stringsIn } from './references.js';

const PRIMITIVE = /\broles\/(owner|editor|viewer)\b/;

/** Every place a primitive role (roles/owner, roles/editor, roles/viewer) appears, as "file: path". */
export function primitiveRoles(files: readonly Pick<TfFile, 'path' | 'json'>[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const [path, text] of stringsIn(file.json)) {
      const m = PRIMITIVE.exec(text);
      if (m) found.push(`${file.path}: ${path.join('.')}: ${m[0]}`);
    }
  }
  return found;
}
