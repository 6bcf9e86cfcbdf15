/** Terminal output: colour only on a TTY without NO_COLOR, and a spinner only on a TTY. */

/** A writable stream as the CLI uses it. */
export interface OutputStream {
  write: (text: string) => unknown;
  isTTY?: boolean;
}

/** Whether `stream` gets ANSI colours: a TTY, and NO_COLOR unset or empty (https://no-color.org). */
export function colorEnabled(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY === true && !noColor && env.TERM !== 'dumb';
}

/** Colour helpers that do nothing when colour is off. */
export interface Palette {
  green: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  dim: (text: string) => string;
  bold: (text: string) => string;
}

/** A palette for a stream. */
export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Shows `label` with a spinner on a TTY while `work` runs; on anything else, shows nothing. */
export async function withSpinner<T>(
  stream: OutputStream,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (stream.isTTY !== true) return work();
  let frame = 0;
  const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`);
  draw();
  const timer = setInterval(draw, 80);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    stream.write(`\r${' '.repeat(label.length + 2)}\r`);
  }
}
