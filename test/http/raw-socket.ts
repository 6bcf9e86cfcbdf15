/** Raw HTTP/1.1 over a socket, for request-targets and body timings `fetch` cannot produce. */
import { connect } from 'node:net';

/** Send one request (head lines, then the body) and resolve the whole answer once it is in, or after 3 s. */
export function rawRequest(base: string, head: string[], body = ''): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const at = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (at >= 0 && length !== undefined && received.length >= at + 4 + Number(length)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      const lines = [...head, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`];
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    });
  });
}

/**
 * POST `path` declaring a body of `declared` bytes and sending one byte every `everyMs`; resolves the
 * status line of whatever answers within `waitMs`, or 'no answer'.
 */
export function trickle(
  base: string,
  path: string,
  headers: Record<string, string>,
  options: { declared?: number; everyMs?: number; waitMs?: number; chunked?: boolean } = {},
): Promise<string> {
  const url = new URL(base);
  const everyMs = options.everyMs ?? 200;
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    let timer: ReturnType<typeof setInterval> | undefined;
    const firstLine = () => received.split('\r\n')[0] ?? '';
    const done = (value: string) => {
      clearInterval(timer);
      clearTimeout(deadline);
      socket.destroy();
      resolve(value);
    };
    const deadline = setTimeout(() => done('no answer'), options.waitMs ?? 4000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done(firstLine());
    });
    socket.on('error', () => done(received ? firstLine() : 'socket error'));
    socket.on('close', () => done(received ? firstLine() : 'closed without answer'));
    socket.on('connect', () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${url.host}`];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      lines.push(
        options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${options.declared ?? 1000}`,
      );
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write(options.chunked ? '1\r\n{\r\n' : '{');
      }, everyMs);
    });
  });
}

/** An endless Web body: one byte every 100 ms, never closed. */
export function endlessBody(): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setInterval>;
  return new ReadableStream({
    start(controller) {
      timer = setInterval(() => controller.enqueue(new Uint8Array([0x7b])), 100);
    },
    cancel() {
      clearInterval(timer);
    },
  });
}
