// CloudTrail records in an embedded DuckDB, laid out as the Athena CloudTrail table of
// docs/athena.md (`lambda-ir rules sql --ddl`), partition columns included, with the thin
// dialect layer that lets Athena's SQL run as lambda-ir prints it: macros giving Trino's
// json_extract_scalar, regexp_like and json_format their meaning. Tests only.
import { DuckDBInstance } from '@duckdb/node-api';

// RECORDS: JSON Lines of {"n": <number>, "r": <CloudTrail record>}. Returns a connection
// holding the table `cloudtrail` (and `n`, each record's number).
export async function openCloudTrail(records) {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  // Trino's json_extract_scalar: NULL for objects, arrays and text that is no JSON (DuckDB's
  // json_extract_string returns the first two as text and fails on the third).
  await db.run(`CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_valid(j) AND
    json_type(CASE WHEN json_valid(j) THEN j END, p) NOT IN ('OBJECT', 'ARRAY')
    THEN json_extract_string(CASE WHEN json_valid(j) THEN j END, p) END`);
  await db.run('CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
  await db.run('CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)');
  await db.run(`CREATE TABLE raw AS SELECT n, r FROM read_json(${quote(records)},
    format = 'newline_delimited', columns = {n: 'BIGINT', r: 'JSON'}, maximum_object_size = 67108864)`);
  await db.run(`CREATE TABLE cloudtrail AS SELECT n,\n  ${columns()} FROM raw`);
  return db;
}

export function quote(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Hive's JSON SerDe gives a STRING column a JSON value's text (objects and arrays as JSON,
// strings unquoted) and a STRUCT the object's members; `->>` does the same here.
const s = (path) => `r->>'${path}'`;

function columns() {
  const strings = {
    eventversion: '$.eventVersion', eventtime: '$.eventTime', eventsource: '$.eventSource',
    eventname: '$.eventName', awsregion: '$.awsRegion', sourceipaddress: '$.sourceIPAddress',
    useragent: '$.userAgent', errorcode: '$.errorCode', errormessage: '$.errorMessage',
    requestparameters: '$.requestParameters', responseelements: '$.responseElements',
    additionaleventdata: '$.additionalEventData', requestid: '$.requestID', eventid: '$.eventID',
    readonly: '$.readOnly', eventtype: '$.eventType', apiversion: '$.apiVersion',
    recipientaccountid: '$.recipientAccountId', serviceeventdetails: '$.serviceEventDetails',
    sharedeventid: '$.sharedEventID', vpcendpointid: '$.vpcEndpointId', vpcendpointaccountid: '$.vpcEndpointAccountId',
    eventcategory: '$.eventCategory',
  };
  const id = (path) => s(`$.userIdentity.${path}`);
  const identity = `struct_pack(
    type := ${id('type')}, principalid := ${id('principalId')}, arn := ${id('arn')},
    accountid := ${id('accountId')}, invokedby := ${id('invokedBy')}, accesskeyid := ${id('accessKeyId')},
    username := ${id('userName')},
    sessioncontext := struct_pack(
      attributes := struct_pack(mfaauthenticated := ${id('sessionContext.attributes.mfaAuthenticated')},
                                creationdate := ${id('sessionContext.attributes.creationDate')}),
      sessionissuer := struct_pack(type := ${id('sessionContext.sessionIssuer.type')},
                                   principalid := ${id('sessionContext.sessionIssuer.principalId')},
                                   arn := ${id('sessionContext.sessionIssuer.arn')},
                                   accountid := ${id('sessionContext.sessionIssuer.accountId')},
                                   username := ${id('sessionContext.sessionIssuer.userName')}),
      sourceidentity := ${id('sessionContext.sourceIdentity')}))`;
  const resources = `CASE WHEN json_type(r, '$.resources') = 'ARRAY' THEN
    list_transform(CAST(json_extract(r, '$.resources') AS JSON[]),
      x -> struct_pack(arn := x->>'$.ARN', accountid := x->>'$.accountId', type := x->>'$.type')) END`;
  const tls = `struct_pack(tlsversion := ${s('$.tlsDetails.tlsVersion')}, ciphersuite := ${s('$.tlsDetails.cipherSuite')},
    clientprovidedhostheader := ${s('$.tlsDetails.clientProvidedHostHeader')})`;
  // The partitions of an organisation trail's layout (AWSLogs/o-ID/ACCOUNT/CloudTrail/REGION/
  // yyyy/MM/dd), from the fields CloudTrail files a record under: the account it happened in
  // (the recipient, else the caller's), its region, its day.
  const partitions = `coalesce(nullif(${s('$.recipientAccountId')}, ''), ${s('$.userIdentity.accountId')}) AS account,
    ${s('$.awsRegion')} AS region,
    replace(substr(${s('$.eventTime')}, 1, 10), '-', '/') AS "timestamp"`;
  return [
    ...Object.entries(strings).map(([name, path]) => `${s(path)} AS ${name}`),
    `${identity} AS useridentity`, `${resources} AS resources`, `${tls} AS tlsdetails`, partitions,
  ].join(',\n  ');
}
