/**
 * Reads an HTTP answer body up to a byte limit, chunk by chunk, and gives up the moment the limit
 * is passed: nothing upstream can make the process hold more than `limit` bytes of one answer.
 * Buffering first and measuring after is what let one listing of 15,000 numbers kill the process
 * under a 256 MB heap (issue #19). A declared Content-Length over the limit is refused before a
 * byte is read.
 */
export class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    /** Bytes seen when reading stopped, or the declared Content-Length. */
    readonly seen: number,
  ) {
    super(`answer larger than ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The body as undici gives it: an async iterable of chunks that can be destroyed. */
export interface ChunkStream extends AsyncIterable<Uint8Array> {
  destroy(err?: Error): unknown;
}

export async function readBounded(
  body: ChunkStream,
  limit: number,
  headers: Record<string, string | string[] | undefined> = {},
): Promise<string> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw new BodyTooLarge(limit, declared);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      chunks.length = 0;
      // Ends the iteration and closes the connection: the rest of the answer is never read.
      body.destroy();
      throw new BodyTooLarge(limit, size);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
