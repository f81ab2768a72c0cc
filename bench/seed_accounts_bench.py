#!/usr/bin/env python3
"""Seeds an organisation for the multi-account audit benchmark: the management account
(123456789012, the caller) and ACCOUNTS-1 members, each with N functions as bench/bench_seed.py
seeds them (half in us-east-1, half in us-west-2, a role per ten, every third with a public URL,
every fifth with an event invoke config, a trail). A member's resources are made through its
OrganizationAccountAccessRole, as lambda-ir enters it. Function names carry the account's
index (the lambda-gaps proxy keeps invoke configs by name).
Writes an aws CLI config (profile base: the caller's keys; profile member-I: the member's role
from base) to CONFIG, and prints the expected counts as JSON.
Usage: seed_accounts_bench.py MOTO_URL PROXY_URL ACCOUNTS N CONFIG"""
import json
import sys

import boto3

from bench_seed import seed_account

moto_url, proxy_url, accounts, n, config_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
caller = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
orgs = boto3.client("organizations", endpoint_url=moto_url, region_name="us-east-1", **caller)
orgs.create_organization(FeatureSet="ALL")
ids = ["123456789012"]
for a in range(1, accounts):
    ids.append(orgs.create_account(Email=f"member{a}@example.com", AccountName=f"member{a}")["CreateAccountStatus"]["AccountId"])
sts = boto3.client("sts", endpoint_url=moto_url, region_name="us-east-1", **caller)
public = 0
with open(config_path, "w") as config:
    config.write("[profile base]\naws_access_key_id = testing\naws_secret_access_key = testing\nregion = us-east-1\n")
    for a, account in enumerate(ids):
        keys = caller
        if a > 0:
            role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
            config.write(f"\n[profile member-{a}]\nrole_arn = {role}\nsource_profile = base\nregion = us-east-1\n")
            c = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
            keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                        aws_session_token=c["SessionToken"])
        public += seed_account(moto_url, proxy_url, keys, n, f"bench-{a}-fn-{{:02d}}", f"bench-trail-{account}")[0]
print(json.dumps({"accounts": ids, "functions": n * accounts, "public_urls": public}))
