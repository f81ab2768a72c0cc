#!/usr/bin/env python3
"""Puts a week of ordinary Invocations (10-12 every 3 hours) for the seeded function and one
spike of 500 at 2026-11-27T09:00Z into a moto_server. Usage: seed_metrics.py URL"""
import datetime
import sys

import boto3

cw = boto3.client("cloudwatch", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing",
                  aws_secret_access_key="testing")
dims = [{"Name": "FunctionName", "Value": "payments"}]
start = datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.timezone.utc)
data = [{"MetricName": "Invocations", "Dimensions": dims, "Timestamp": start + datetime.timedelta(hours=h),
         "Value": 10.0 + h % 3, "Unit": "Count"} for h in range(0, 7 * 24, 3)]
for i in range(0, len(data), 20):
    cw.put_metric_data(Namespace="AWS/Lambda", MetricData=data[i:i + 20])
cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[{"MetricName": "Invocations", "Dimensions": dims, "Value": 500.0, "Unit": "Count",
                                                        "Timestamp": datetime.datetime(2026, 11, 27, 9, tzinfo=datetime.timezone.utc)}])
