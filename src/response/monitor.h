// Enhanced monitoring after recovery: CloudWatch alarms on the function's errors, throttles,
// invocations, duration and concurrency, set against its own baseline and tagged with an
// expiry, so `monitor cleanup` removes them when the watch is over.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/time.h"
#include "response/aws_calls.h"
#include "response/steps.h"

namespace lir {

inline constexpr const char* kMonitorAlarmPrefix = "lambda-ir-";
inline constexpr const char* kExpiresTag = "lambda-ir:expires";

struct AlarmPlan {
  std::string name, metric, statistic;
  double baseline_peak = 0;  // highest 5-minute value in the baseline
  double threshold = 0;      // GreaterThanThreshold
};

// Thresholds from the baseline peaks (pure): above the worst 5 minutes seen, with headroom
// for the noisy series. `peaks` is keyed by metric name.
std::vector<AlarmPlan> PlanAlarms(const std::string& function, const std::map<std::string, double>& peaks);

// The highest 5-minute value of each monitored metric over [now - baseline, now).
Result<std::map<std::string, double>> BaselinePeaks(AwsCalls& calls, const std::string& function, TimestampMs now, int64_t baseline_ms);

// PutMetricAlarm for one alarm; `alarm_topic` (may be empty) is notified when it fires.
ResponseStep CreateAlarmStep(const StepContext& ctx, const AlarmPlan& alarm, TimestampMs expires, const std::string& case_id,
                             const std::string& alarm_topic);

// What recover --monitor calls (baseline metrics, alarms).
const std::vector<aws::OperationRef>& MonitorOperations();

struct MonitorAlarm {
  std::string name, arn;
  TimestampMs expires = 0;  // 0: no readable expiry tag (left alone)
};
// Every alarm lambda-ir created (name prefix), with its expiry tag.
Result<std::vector<MonitorAlarm>> ListMonitorAlarms(AwsCalls& calls);
Result<void> DeleteAlarms(AwsCalls& calls, const std::vector<std::string>& names);

}  // namespace lir
