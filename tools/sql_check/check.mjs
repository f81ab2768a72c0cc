// Runs Athena queries over CloudTrail records in an embedded DuckDB, in a table laid out as
// the documented Athena CloudTrail table (docs/athena.md), partition columns included. The
// thin dialect layer is two macros that give Trino's json_extract_scalar and regexp_like
// their meaning in DuckDB; the SQL itself runs as lambda-ir prints it. Tests only.
//
//   node check.mjs RECORDS.jsonl QUERIES.json
//
// RECORDS.jsonl: one {"n": <number>, "r": <CloudTrail record>} per line.
// QUERIES.json:  [{"id": "...", "sql": "SELECT n FROM cloudtrail WHERE ..."}, ...]
// Prints {"<id>": [n, ...], ...} (each list sorted), or exits 1 naming the query that failed.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [records, queriesFile] = process.argv.slice(2);
if (!records || !queriesFile) {
  console.error('usage: node check.mjs RECORDS.jsonl QUERIES.json');
  process.exit(2);
}

// Hive's JSON SerDe gives a STRING column a JSON value's text (objects and arrays as JSON,
// strings unquoted) and a STRUCT the object's members; `->>` does the same here.
const s = (path) => `r->>'${path}'`;
const identity = `struct_pack(
  type := ${s('$.userIdentity.type')}, principalid := ${s('$.userIdentity.principalId')},
  arn := ${s('$.userIdentity.arn')}, accountid := ${s('$.userIdentity.accountId')},
  invokedby := ${s('$.userIdentity.invokedBy')}, accesskeyid := ${s('$.userIdentity.accessKeyId')},
  username := ${s('$.userIdentity.userName')},
  sessioncontext := struct_pack(
    attributes := struct_pack(mfaauthenticated := ${s('$.userIdentity.sessionContext.attributes.mfaAuthenticated')},
                              creationdate := ${s('$.userIdentity.sessionContext.attributes.creationDate')}),
    sessionissuer := struct_pack(type := ${s('$.userIdentity.sessionContext.sessionIssuer.type')},
                                 principalid := ${s('$.userIdentity.sessionContext.sessionIssuer.principalId')},
                                 arn := ${s('$.userIdentity.sessionContext.sessionIssuer.arn')},
                                 accountid := ${s('$.userIdentity.sessionContext.sessionIssuer.accountId')},
                                 username := ${s('$.userIdentity.sessionContext.sessionIssuer.userName')}),
    sourceidentity := ${s('$.userIdentity.sessionContext.sourceIdentity')}))`;
const columns = {
  eventversion: '$.eventVersion', eventtime: '$.eventTime', eventsource: '$.eventSource',
  eventname: '$.eventName', awsregion: '$.awsRegion', sourceipaddress: '$.sourceIPAddress',
  useragent: '$.userAgent', errorcode: '$.errorCode', errormessage: '$.errorMessage',
  requestparameters: '$.requestParameters', responseelements: '$.responseElements',
  additionaleventdata: '$.additionalEventData', requestid: '$.requestID', eventid: '$.eventID',
  readonly: '$.readOnly', eventtype: '$.eventType', apiversion: '$.apiVersion',
  recipientaccountid: '$.recipientAccountId', sharedeventid: '$.sharedEventID',
  vpcendpointid: '$.vpcEndpointId', eventcategory: '$.eventCategory',
};
const select = Object.entries(columns).map(([name, path]) => `${s(path)} AS ${name}`).join(',\n  ');

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
// Trino's json_extract_scalar: NULL for objects, arrays and text that is no JSON (DuckDB's
// json_extract_string returns the first two as text and fails on the third).
await db.run(`CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_valid(j) AND
  json_type(CASE WHEN json_valid(j) THEN j END, p) NOT IN ('OBJECT', 'ARRAY')
  THEN json_extract_string(CASE WHEN json_valid(j) THEN j END, p) END`);
await db.run('CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
await db.run(`CREATE TABLE raw AS SELECT n, r FROM read_json(${quote(records)},
  format = 'newline_delimited', columns = {n: 'BIGINT', r: 'JSON'}, maximum_object_size = 67108864)`);
// The partitions of an organisation trail's layout (AWSLogs/o-ID/ACCOUNT/CloudTrail/REGION/
// yyyy/MM/dd), from the fields CloudTrail files a record under.
const partitions = `${s('$.recipientAccountId')} AS account, ${s('$.awsRegion')} AS region,
  replace(substr(${s('$.eventTime')}, 1, 10), '-', '/') AS "timestamp"`;
await db.run(`CREATE TABLE cloudtrail AS SELECT n,\n  ${select},\n  ${identity} AS useridentity,\n  ${partitions} FROM raw`);

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

function quote(text) {
  return `'${text.replaceAll("'", "''")}'`;
}
