import fs from 'node:fs';

/**
 * Loaded into the daemon's process with `node --import` by the benchmark (never by the product):
 * at exit it writes the process's peak resident set size to the file named by BENCH_RSS_FILE.
 *
 * Why getrusage (process.resourceUsage().maxRSS) and not sampling /proc/<pid>/status: the kernel
 * keeps the high-water mark itself, so a short spike between two samples cannot be missed, the
 * figure covers everything the process mapped (V8 heap, SQLite's page cache, native buffers), and
 * the child needs no cooperation from the daemon's code.
 */
const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes on every platform Node supports.
    fs.writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, cpuUserUs: usage.userCPUTime, cpuSystemUs: usage.systemCPUTime }));
  });
}
