/**
 * `node apps/bench/dist/profile-summary.js <file.cpuprofile> [top]`: where a `node --cpu-prof` profile spent its time,
 * by function (self time) and by package, so a profile can be read without a browser.
 */
import { readFileSync } from "node:fs";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** The package a script belongs to (`hono`, `@trpc/server`…), `node:` for Node's own, `app` for ours. */
export function packageOf(url: string): string {
  if (url === "") return "(native)";
  if (url.startsWith("node:")) return "node:";
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  const ours = /\/(apps|packages)\/([^/]+)\//.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

export function summarize(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nameOf = (frame: ProfileNode["callFrame"]): string => {
    const file = frame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "");
    return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
  };

  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  // Idle is the process waiting (between runs, or on the database): shares are of the busy time.
  let idle = 0;
  for (const [id, ms] of selfMs) {
    if (byId.get(id)?.callFrame.functionName !== "(idle)") continue;
    idle += ms;
    selfMs.delete(id);
  }
  const busy = [...selfMs.values()].reduce((sum, value) => sum + value, 0);

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  // Total time: a sample counts once for every distinct function on its stack.
  const byFunctionTotal = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    add(byPackage, packageOf(frame.url), ms);
    add(byFunction, nameOf(frame), ms);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const callFrame = byId.get(current)?.callFrame;
      const name = callFrame && nameOf(callFrame);
      if (name === undefined || seen.has(name)) continue;
      seen.add(name);
      add(byFunctionTotal, name, ms);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `${(busy / 1000).toFixed(1)} s busy, ${(idle / 1000).toFixed(1)} s idle; shares of the busy time`,
    "",
    "by package (self time):",
    ...lines(byPackage),
    "",
    "by function (self time):",
    ...lines(byFunction),
    "",
    "by function (total time, callees included):",
    ...lines(byFunctionTotal),
  ].join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""))) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error("usage: profile-summary <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(summarize(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(top ?? 25)));
}
