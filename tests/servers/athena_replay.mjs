// A loopback stand-in for Amazon Athena, whose moto counterpart returns canned rows: it runs
// each query for real, in an embedded DuckDB holding the records given, laid out as the
// Athena CloudTrail table (tools/sql_check/table.mjs), and answers in Athena's json 1.1 wire
// shapes (botocore's athena model): StartQueryExecution {QueryExecutionId};
// GetQueryExecution {QueryExecution: {Status: {State, StateChangeReason}, Statistics:
// {DataScannedInBytes, EngineExecutionTimeInMillis}, ...}}; GetQueryResults {ResultSet:
// {Rows: [{Data: [{VarCharValue}]}], ResultSetMetadata: {ColumnInfo}}, NextToken} (the
// first page's first row the column names, a NULL cell without VarCharValue);
// StopQueryExecution {} (the query then CANCELLED). Errors are Athena's InvalidRequestException. Outcomes are fixed per request: each query is RUNNING at
// its first GetQueryExecution and SUCCEEDED (or FAILED, by plan) from the second on.
//
// Control: GET /_replay/log (the requests: target and body); GET /_replay/returned (the
// numbers `n` of the records the last query returned); POST /_replay/plan {"fail": "reason"}
// (the next query fails with it), {"running": true} (the next query runs until
// StopQueryExecution stops it; with "deny_stop": true the stop is refused, AccessDeniedException;
// with "throttle_polls": true every GetQueryExecution after the first is refused,
// ThrottlingException, until it is stopped; with "throttle_stop_once": true the first
// StopQueryExecution is refused so, ThrottlingException), {"throttle_start": true} (every StartQueryExecution
// is refused, ThrottlingException, until the reset), {"fail_start": true} (every start fails,
// 500 InternalServerException: its answer lost, as far as a client knows) or {"page_rows": N} (pages of at most N rows, as
// Athena may return fewer than MaxResults); POST /_replay/reset.
//
// Usage: node athena_replay.mjs RECORDS.jsonl DB.TABLE[,DB.TABLE...]  (prints the port, then serves)
import { createServer } from 'node:http';
import { statSync } from 'node:fs';
import { openCloudTrail } from '../../tools/sql_check/table.mjs';

const [recordsFile, tables] = process.argv.slice(2);
const db = await openCloudTrail(recordsFile);
for (const table of tables.split(',')) {  // names as Glue holds them: quoted, a - is theirs
  const [schema, name] = table.split('.');
  await db.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await db.run(`CREATE VIEW "${schema}"."${name}" AS SELECT * FROM main.cloudtrail`);
}
const scanned = statSync(recordsFile).size;  // every partition "read": the records' bytes
let log = [], plan = {}, queries = new Map(), tokens = new Map(), counter = 0, returned = [];

async function startQuery(body) {
  if (plan.throttle_start) throw { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
  if (plan.fail_start) throw { status: 500, body: { __type: 'InternalServerException', Message: 'Internal error' } };
  if (tokens.has(body.ClientRequestToken)) return { QueryExecutionId: tokens.get(body.ClientRequestToken) };
  const id = `0000${++counter}-aaaa-bbbb-cccc-${String(counter).padStart(12, '0')}`;
  const query = { id, body, polls: 0, state: 'SUCCEEDED', reason: '', columns: [], rows: [] };
  query.page_rows = plan.page_rows ?? 1000;
  if (plan.fail) {
    query.state = 'FAILED';
    query.reason = plan.fail;
    plan = {};
  } else if (plan.running) {
    query.state = 'RUNNING';  // until stopped
    query.deny_stop = Boolean(plan.deny_stop);
    query.throttle_polls = Boolean(plan.throttle_polls);
    query.throttle_stop_once = Boolean(plan.throttle_stop_once);
    plan = {};
  } else {
    try {
      const result = await db.runAndReadAll(body.QueryString);
      query.columns = result.columnNames();
      query.rows = result.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      // The same records by number (by their event ids): what the test compares with a local
      // scan of them.
      const id = query.columns.indexOf('eventid');
      const ids = new Set(query.rows.map((row) => row[id]));
      const all = (await db.runAndReadAll('SELECT n, eventid FROM main.cloudtrail')).getRows();
      returned = all.filter(([, e]) => ids.has(e)).map(([n]) => Number(n)).sort((a, b) => a - b);
    } catch (e) {
      query.state = 'FAILED';
      query.reason = `SYNTAX_ERROR: ${e.message}`;
    }
  }
  queries.set(id, query);
  if (body.ClientRequestToken) tokens.set(body.ClientRequestToken, id);
  return { QueryExecutionId: id };
}

function getExecution(body) {
  const q = queries.get(body.QueryExecutionId);
  if (!q) throw invalid(`QueryExecution ${body.QueryExecutionId} was not found`);
  if (q.throttle_polls && q.polls > 0 && q.state === 'RUNNING') {
    throw { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
  }
  const state = q.polls++ === 0 ? 'RUNNING' : q.state;
  const status = { State: state, SubmissionDateTime: 1764547200.0 };
  if (state === 'FAILED') status.StateChangeReason = q.reason;
  return {
    QueryExecution: {
      QueryExecutionId: q.id, Query: q.body.QueryString, StatementType: 'DML',
      ResultConfiguration: { OutputLocation: `${q.body.ResultConfiguration?.OutputLocation ?? 's3://aws-athena-query-results-111122223333-us-east-1/'}${q.id}.csv` },
      QueryExecutionContext: q.body.QueryExecutionContext ?? {}, Status: status,
      Statistics: { EngineExecutionTimeInMillis: 1234, DataScannedInBytes: state === 'SUCCEEDED' ? scanned : state === 'RUNNING' ? 1048576 : 0 },
      WorkGroup: q.body.WorkGroup ?? 'primary',
    },
  };
}

function getResults(body) {
  const q = queries.get(body.QueryExecutionId);
  if (!q) throw invalid(`QueryExecution ${body.QueryExecutionId} was not found`);
  if (q.state !== 'SUCCEEDED' || q.polls < 2) throw invalid(`Query has not yet finished. Current state: ${q.polls < 2 ? 'RUNNING' : q.state}`);
  const max = Math.min(body.MaxResults ?? 1000, 1000, q.page_rows);
  const start = body.NextToken ? Number(body.NextToken.split('-').pop()) : 0;
  const cell = (v) => (v === null ? {} : { VarCharValue: v });
  const rows = [];
  if (start === 0) rows.push({ Data: q.columns.map((c) => ({ VarCharValue: c })) });
  for (const row of q.rows.slice(start, start + max - rows.length)) rows.push({ Data: row.map(cell) });
  const end = start + rows.length - (start === 0 ? 1 : 0);
  const answer = {
    UpdateCount: 0,
    ResultSet: {
      Rows: rows,
      ResultSetMetadata: {
        ColumnInfo: q.columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c, Label: c,
                                             Type: 'varchar', Precision: 2147483647, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })),
      },
    },
  };
  if (end < q.rows.length) answer.NextToken = `page-${q.id}-${end}`;
  return answer;
}

// Athena answers {} and the query ends CANCELLED; a query already ended is left as it is.
function stopQuery(body) {
  const q = queries.get(body.QueryExecutionId);
  if (!q) throw invalid(`QueryExecution ${body.QueryExecutionId} was not found`);
  if (q.throttle_stop_once) {
    q.throttle_stop_once = false;
    throw { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
  }
  if (q.deny_stop) {
    throw { status: 400, body: { __type: 'AccessDeniedException', Message: 'User: arn:aws:iam::111122223333:user/responder is not authorized to perform: athena:StopQueryExecution' } };
  }
  if (q.state === 'RUNNING' || q.polls < 2) q.state = 'CANCELLED';
  return {};
}

function invalid(message) {
  return { status: 400, body: { __type: 'InvalidRequestException', AthenaErrorCode: 'INVALID_INPUT', Message: message } };
}

const handlers = { StartQueryExecution: startQuery, GetQueryExecution: getExecution, GetQueryResults: getResults,
                   StopQueryExecution: stopQuery };

const server = createServer(async (req, res) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  const send = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': `req-${log.length}` });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/_replay/log') return send(200, log);
  if (req.url === '/_replay/returned') return send(200, returned);
  if (req.url === '/_replay/reset') {
    log = []; plan = {}; queries = new Map(); tokens = new Map(); returned = []; counter = 0;
    return send(200, {});
  }
  if (req.url === '/_replay/plan') { plan = JSON.parse(text || '{}'); return send(200, {}); }
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.replace(/^AmazonAthena\./, '');
  const body = JSON.parse(text || '{}');
  log.push({ target, body, signed: String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ') });
  const handler = handlers[op];
  if (!target.startsWith('AmazonAthena.') || !handler) return send(400, { __type: 'UnknownOperationException', Message: target });
  try {
    send(200, await handler(body));
  } catch (e) {
    if (e.status) send(e.status, e.body);
    else send(500, { __type: 'InternalServerException', Message: String(e) });
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
