# Sourced by the audit benchmarks. audit_reads FLAGS NAME_FORMAT N: the reads audit makes in one
# account seeded by bench/bench_seed.py (N functions named by printf NAME_FORMAT, half in
# us-east-1 and half in us-west-2, a role per ten), as aws CLI lines in the order a script would
# make them, each ending with FLAGS (--profile, --endpoint-url).
audit_reads() {
  local g=$1 format=$2 n=$3 region fn cmd i r
  for region in us-east-1 us-west-2; do
    echo "aws lambda list-functions --region $region $g"
    echo "aws cloudtrail describe-trails --region $region $g"
    echo "aws logs describe-log-groups --log-group-name-prefix /aws/lambda/ --region $region $g"
  done
  echo "aws cloudtrail get-event-selectors --trail-name bench --region us-east-1 $g"
  echo "aws cloudtrail get-trail-status --name bench --region us-east-1 $g"
  echo "aws s3api list-buckets --region us-east-1 $g"
  for i in $(seq 0 $((n - 1))); do
    region=us-east-1; [ $((i % 2)) -eq 1 ] && region=us-west-2
    # shellcheck disable=SC2059 # the name's format is the argument
    fn=$(printf "$format" "$i")
    for cmd in get-policy list-function-url-configs get-function-code-signing-config list-function-event-invoke-configs list-aliases; do
      echo "aws lambda $cmd --function-name $fn --region $region $g"
    done
  done
  for r in $(seq 0 $(((n + 9) / 10 - 1))); do
    echo "aws iam get-role --role-name bench-role-$r $g"
    echo "aws iam list-role-policies --role-name bench-role-$r $g"
    echo "aws iam get-role-policy --role-name bench-role-$r --policy-name reads $g"
    echo "aws iam list-attached-role-policies --role-name bench-role-$r $g"
  done
}
