export interface ProgressBar {
  update(done: number, rows: number): void;
  finish(): void;
}

/**
 * A one-line progress bar on a terminal (`done` out of `total`, in bytes read or rows), redrawn at
 * most every 100 ms. On anything but a TTY it draws nothing: logs and pipes stay clean.
 */
export function createProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, total: number): ProgressBar {
  if (!stream.isTTY || total <= 0) return { update() {}, finish() {} };
  const started = Date.now();
  let last = 0;
  let drawn = false;
  const draw = (done: number, rows: number): void => {
    const fraction = Math.min(1, done / total);
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
    const filled = Math.round(fraction * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${rows} rows  ${rate.toFixed(0)} rows/s `);
    drawn = true;
  };
  return {
    update(done, rows) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done, rows);
    },
    finish() {
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
}
