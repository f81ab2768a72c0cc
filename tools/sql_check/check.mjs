// Runs Athena queries, as lambda-ir prints them, over CloudTrail records in an embedded
// DuckDB laid out as the Athena CloudTrail table (table.mjs). Tests only.
//
//   node check.mjs RECORDS.jsonl QUERIES.json
//
// RECORDS.jsonl: one {"n": <number>, "r": <CloudTrail record>} per line.
// QUERIES.json:  [{"id": "...", "sql": "SELECT n FROM cloudtrail WHERE ..."}, ...]
// Prints {"<id>": [n, ...], ...} (each list sorted), or exits 1 naming the query that failed.
import { readFileSync } from 'node:fs';
import { openCloudTrail } from './table.mjs';

const [records, queriesFile] = process.argv.slice(2);
if (!records || !queriesFile) {
  console.error('usage: node check.mjs RECORDS.jsonl QUERIES.json');
  process.exit(2);
}
const db = await openCloudTrail(records);
const out = {};
for (const { id, sql } of JSON.parse(readFileSync(queriesFile, 'utf8'))) {
  try {
    const rows = (await db.runAndReadAll(sql)).getRows();
    out[id] = rows.map((row) => Number(row[0])).sort((a, b) => a - b);
  } catch (e) {
    console.error(`query of ${id} failed: ${e.message}\n${sql}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
