import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

// Our own input files (config, mapping, secret files) are small regular files. Anything else (a
// FIFO, /dev/zero, a 50 MB file given by mistake) is refused before it is read, instead of
// blocking or exhausting memory.

/** `code`: the system error code when the file could not be opened at all (ENOENT, EACCES...). */
export type SmallFile = { ok: true; text: string } | { ok: false; reason: string; code?: string };

/** What a non-regular file is, in words: `a directory`, `a character device`... */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Opened non-blocking and checked on the open
 * descriptor, so a FIFO cannot block the open and a file swapped after a check is still refused.
 */
export function readSmallFile(path: string, maxBytes: number): SmallFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? { ok: false, reason: code, code } : { ok: false, reason: (error as Error).message };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: `is ${fileKind(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { ok: false, reason: `is ${formatBytes(stats.size)}; at most ${formatBytes(maxBytes)} is read` };
    // Read one byte past the cap: a file that grew after fstat is refused too.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return { ok: false, reason: `is larger than ${formatBytes(maxBytes)}` };
    }
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    closeSync(fd);
  }
}
