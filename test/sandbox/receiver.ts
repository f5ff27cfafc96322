/**
 * A tiny webhook handler for `npm run dev`: it answers every request 200 and prints what it
 * received (method, path, content type and body), so that "Receive on This Machine" pointed at
 * its port shows a sample event arriving.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How much of a body is printed. */
const PRINTED_CHARACTERS = 2000;

function printable(body: string): string {
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON: printed as it came.
  }
  return text.length > PRINTED_CHARACTERS ? `${text.slice(0, PRINTED_CHARACTERS)}\n… (${text.length - PRINTED_CHARACTERS} more characters)` : text;
}

export async function startReceiver({ port = 0, print = (line: string) => console.log(line) } = {}): Promise<Receiver> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      print(
        `\n[receiver ${new Date().toLocaleTimeString()}] ${request.method} ${request.url} (${request.headers['content-type'] ?? 'no content type'})\n${printable(body)}`,
      );
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
