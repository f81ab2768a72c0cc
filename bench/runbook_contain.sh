#!/usr/bin/env bash
# The runbook's containment of one function with the aws CLI, as a responder scripts it:
# record and remove provisioned concurrency, record reserved concurrency then set 0, disable
# every mapping and wait for Disabled, record any same-named inline policy, put the deny-all.
# Usage: runbook_contain.sh FUNCTION ENDPOINT (priors go to stdout as JSON lines)
set -euo pipefail
fn=$1
ep=(--endpoint-url "$2" --output json)
aws lambda list-provisioned-concurrency-configs --function-name "$fn" "${ep[@]}"
for q in $(aws lambda list-provisioned-concurrency-configs --function-name "$fn" "${ep[@]}" \
             --query 'ProvisionedConcurrencyConfigs[].FunctionArn' --output text | tr '\t' '\n' | sed 's/.*://'); do
  aws lambda delete-provisioned-concurrency-config --function-name "$fn" --qualifier "$q" "${ep[@]}"
done
aws lambda get-function-concurrency --function-name "$fn" "${ep[@]}"
aws lambda put-function-concurrency --function-name "$fn" --reserved-concurrent-executions 0 "${ep[@]}" > /dev/null
for uuid in $(aws lambda list-event-source-mappings --function-name "$fn" "${ep[@]}" --query 'EventSourceMappings[].UUID' --output text); do
  aws lambda update-event-source-mapping --uuid "$uuid" --no-enabled "${ep[@]}" > /dev/null
  until [ "$(aws lambda get-event-source-mapping --uuid "$uuid" "${ep[@]}" --query State --output text)" = Disabled ]; do sleep 1; done
done
role=$(aws lambda get-function-configuration --function-name "$fn" "${ep[@]}" --query Role --output text)
role=${role##*/}
aws iam get-role-policy --role-name "$role" --policy-name DenyAll-IncidentResponse "${ep[@]}" 2>/dev/null || echo '{"absent": true}'
aws iam put-role-policy --role-name "$role" --policy-name DenyAll-IncidentResponse "${ep[@]}" \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"IncidentResponseDenyAll","Effect":"Deny","Action":"*","Resource":"*"}]}'
