/** A progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise. */
export function progressBar(total: number): { update(done: number): void; finish(): void } {
  const width = 30;
  let lastTenth = -1;
  const draw = (done: number) => {
    const filled = Math.round((done / total) * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
  };
  return {
    update(done) {
      if (process.stderr.isTTY) process.stderr.write(`\r${draw(done)}`);
      else if (Math.floor((done / total) * 10) > lastTenth) {
        lastTenth = Math.floor((done / total) * 10);
        process.stderr.write(`${draw(done)}\n`);
      }
    },
    finish() {
      if (process.stderr.isTTY) process.stderr.write(`\r${draw(total)}\n`);
    },
  };
}
