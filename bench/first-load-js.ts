// Prints the first-load JavaScript of pages, read from the production build's own manifests (bench/lib/first-load.ts
// says what is counted). The target is every page within 250 kB gzip; bench/pages.ts prints it for every page
// next to its response time and hydration.
// Run after a build (`npm start` or `npx next build`): npx tsx bench/first-load-js.ts [route ...]
import { firstLoadJs, kb, MissingBuildError } from "./lib/first-load";

const routes = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["/(portal)/costs/page", "/(portal)/costs/teams/[slug]/page"];
const targetKb = 250;

let over = 0;
for (const route of routes) {
  let measured;
  try {
    measured = firstLoadJs(route);
  } catch (error) {
    if (!(error instanceof MissingBuildError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const { first, lazy, segments } = measured;
  const verdict = first.gzip / 1024 <= targetKb ? "within" : "OVER";
  if (verdict === "OVER") over++;
  console.log(
    `${route}: first load ${first.files.length} files, ${kb(first.raw)} raw, ${kb(first.gzip)} gzip (${verdict} the ${targetKb} kB target)`,
  );
  console.log(`  segments: ${segments.join(", ")}`);
  for (const row of first.files) console.log(row);
  console.log(`  lazy, after hydration: ${lazy.files.length} files, ${kb(lazy.raw)} raw, ${kb(lazy.gzip)} gzip`);
  for (const row of lazy.files) console.log(row);
}
process.exit(over ? 1 : 0);
