import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The emulator's persisted state: one JSON document with a section per API module. */
export type StateDocument = Record<string, unknown>;

/** Reads the state file; a missing file is an empty state, a corrupt one is an error naming the file. */
export function readStateFile(path: string): StateDocument {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not a JSON object');
    return parsed as StateDocument;
  } catch (error) {
    throw new Error(`emulator state file ${path} is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Writes the state atomically: a temporary file beside it, then a rename over the old one. */
export function writeStateFile(path: string, state: StateDocument): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}
