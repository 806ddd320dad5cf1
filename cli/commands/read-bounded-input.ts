// Reads a CLI input file, or standard input for "-", without holding more than maxBytes + 1 bytes: a result longer
// than maxBytes means "too large" (the caller exits 2 with its own message).
import fs from "node:fs";

export async function readBoundedInput(source: string, maxBytes: number): Promise<Buffer> {
  if (source !== "-") {
    if (fs.statSync(source).size > maxBytes) return Buffer.alloc(maxBytes + 1);
    return fs.readFileSync(source);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    total += buffer.length;
    if (total > maxBytes) {
      process.stdin.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}
