// The progress line as a responder's terminal shows it: commands run with stderr on a
// pseudo-terminal (tests/run_in_pty.py). Intermediate frames depend on timing; the last frame,
// drawn as the work ends and then cleared, holds the final counts, which are exact. With
// --quiet, or when stderr is not a terminal, nothing is drawn.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <pty.h>
#include <unistd.h>

#include "audit_fixture.h"
#include "cli/progress_line.h"
#include "sources/input_files.h"
#include "test_support.h"

namespace lir {
namespace {

const std::string kSample = test::SourceDir() + "/examples/incident";

struct PtyRun {
  int exit_code = -1;
  std::string out;  // stdout (a pipe)
  std::string tty;  // everything written to the terminal (stderr)
};

// `options` for run_in_pty.py (--cols N) go before the command.
PtyRun RunInPty(std::vector<std::string> args, std::map<std::string, std::string> env = {}, std::vector<std::string> options = {}) {
  args.insert(args.begin(), test::BinaryPath());
  args.insert(args.begin(), options.begin(), options.end());
  env["TERM"] = "xterm";  // the runner's own TERM may be "dumb" (an editor, some CI), which draws nothing
  const auto r = test::RunPython("run_in_pty.py", args, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  return {doc["exit"], doc["stdout"], doc["tty"]};
}

std::string Mib(uint64_t bytes) { return fmt::format("{:.1f}", static_cast<double>(bytes) / (1024.0 * 1024.0)); }

// The last frame and the clearing that follows it: what the terminal held when the work ended.
std::string LastFrame(const std::string& tty) {
  const std::string clear = "\r\x1b[K";
  if (tty.size() < clear.size() || tty.compare(tty.size() - clear.size(), clear.size(), clear) != 0) return "(not cleared) " + tty;
  const size_t start = tty.rfind('\r', tty.size() - clear.size() - 1);
  return start == std::string::npos ? "(no frame) " + tty : tty.substr(start);
}

TEST(ProgressLine, AnalyzeEndsWithEveryFileAndRecordCounted) {
  const PtyRun run = RunInPty({"analyze", kSample, "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.tty;
  const auto report = nlohmann::json::parse(run.out);  // the report on stdout stays clean
  std::vector<ReadIssue> issues;
  uint64_t bytes = 0;
  const auto inputs = DiscoverInputs({kSample}, &issues);
  for (const InputFile& input : inputs) bytes += input.size;
  const uint64_t files = report["stats"]["files"];
  ASSERT_EQ(files, inputs.size());
  const std::string frame = fmt::format("  analysing: {0}/{0} files, {1}/{1} MiB, {2} records", files, Mib(bytes),
                                        report["stats"]["records"].get<uint64_t>());
  EXPECT_EQ(LastFrame(run.tty), "\r" + frame + "\x1b[K\r\x1b[K");
  // On a narrower terminal the line is cut one column short of the edge: a wrapped line would
  // leave its first row behind at every redraw.
  ASSERT_GT(frame.size(), 40u);
  const PtyRun narrow = RunInPty({"analyze", kSample, "--format", "json"}, {}, {"--cols", "40"});
  EXPECT_EQ(LastFrame(narrow.tty), "\r" + frame.substr(0, 39) + "\x1b[K\r\x1b[K");
}

// A terminal that goes away (a dropped SSH session: every write fails with EIO) ends the
// progress line, never the command, whose report is still to be written.
TEST(ProgressLine, ATerminalThatHangsUpEndsTheLineNotTheCommand) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  const int saved = dup(STDERR_FILENO);
  ASSERT_EQ(dup2(slave, STDERR_FILENO), STDERR_FILENO);
  close(slave);
  ProgressMeter meter("analysing", "files");
  {
    const ProgressLine line({&meter}, true);
    meter.AddTotal(2);
    meter.AddDone(1);
    close(master);
  }  // the last frame and the clearing fail here: before the fix, fmt threw from a destructor
  dup2(saved, STDERR_FILENO);
  close(saved);
  EXPECT_EQ(meter.Read().done, 1u);
}

TEST(ProgressLine, QuietOrNotATerminalDrawsNothing) {
  const PtyRun quiet = RunInPty({"analyze", kSample, "--format", "json", "--quiet"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.tty, "");
  const auto piped = test::RunTool({"analyze", kSample, "--format", "json"});
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err, "");
  // The same report either way (but for the time it was made).
  auto a = nlohmann::json::parse(piped.out), b = nlohmann::json::parse(quiet.out);
  a.erase("generated_at"), b.erase("generated_at");
  EXPECT_TRUE(a == b);
}

// collect: every artifact stored (with its bytes), the packages downloaded of those known
// (their CodeSize), the log pages and events. moto's Code.Location cannot be downloaded, so
// the loopback proxy of tests/servers/code_location_proxy.py serves the packages.
TEST(ProgressLine, CollectEndsWithArtifactsPackagesAndLogsCounted) {
  const std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "planted-secret-key-7Qm2"},
                                                  {"AWS_DEFAULT_REGION", "us-east-1"}};
  test::TempDir tmp;
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto(), tmp.path()}).exit_code, 0);
  const std::string events = R"([{"timestamp":1795766461000,"message":"one"},{"timestamp":1795766462000,"message":"two"}])";
  ASSERT_EQ(test::RunPython("aws_cli.py", {"logs", "put-log-events", "--log-group-name", "/aws/lambda/payments", "--log-stream-name",
                                           "2026/11/27/[$LATEST]abc",
                                           "--log-events", events, "--endpoint-url", test::MotoEndpoint()},
                            env)
                .exit_code,
            0);
  test::ChildServer proxy({"python3", test::SourceDir() + "/tests/servers/code_location_proxy.py", test::MotoEndpoint(), tmp.path()});
  const std::string dir = tmp.File("case");
  const PtyRun run = RunInPty({"collect", "payments", "--case", dir, "--skip-cloudtrail", "--skip-metrics", "--since", "2026-11-27T00:00Z",
                               "--until", "2026-11-28T00:00Z", "--endpoint-url", proxy.url()},
                              env);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.tty;
  const auto manifest = nlohmann::json::parse(test::ReadFile(dir + "/manifest.json"));
  uint64_t bytes = 0, packages = 0, package_bytes = 0;
  for (const auto& a : manifest["artifacts"]) {
    bytes += a["size"].get<uint64_t>();
    const std::string path = a["path"];
    if (path.ends_with("/code.zip") || path.ends_with("/layer.zip")) ++packages, package_bytes += a["size"].get<uint64_t>();
  }
  ASSERT_GE(packages, 2u);
  const std::string log = test::ReadFile(dir + "/artifacts/logs/payments/events.jsonl");
  const auto log_lines = std::count(log.begin(), log.end(), '\n');
  ASSERT_EQ(log_lines, 7);  // the 5 events seed_moto.py wrote and the 2 above
  EXPECT_EQ(LastFrame(run.tty), fmt::format("\r  collecting: {0} artifacts, {1} MiB | packages: {2}/{2} downloaded, {3}/{3} MiB | "
                                            "logs: 1 pages, {4} events\x1b[K\r\x1b[K",
                                            manifest["artifacts"].size(), Mib(bytes), packages, Mib(package_bytes), log_lines));
  EXPECT_NE(run.out.find(fmt::format("  {} artifacts collected for payments\n", manifest["artifacts"].size())), std::string::npos) << run.out;

  // analyze on the case scans the function's package ($LATEST's; layers and versions are not
  // scanned): each file in it.
  const auto entries = test::RunCommand(
      {"python3", "-c", "import sys,zipfile; print(sum(not i.is_dir() for i in zipfile.ZipFile(sys.argv[1]).infolist()))", tmp.File("payments.zip")});
  ASSERT_EQ(entries.exit_code, 0);
  const uint64_t package = test::ReadFile(dir + "/artifacts/lambda/payments/code.zip").size();
  const PtyRun analysed = RunInPty({"analyze", dir, "--format", "json"});
  ASSERT_EQ(analysed.exit_code, 0) << analysed.tty;
  EXPECT_EQ(LastFrame(analysed.tty), fmt::format("\r  scanning packages: 1/1 packages, {0}/{0} MiB, {1} files\x1b[K\r\x1b[K", Mib(package),
                                                 std::stoul(entries.out)));
}

TEST_F(Audit, ProgressCountsEveryFunctionAudited) {
  auto args = AllFunctions();
  args.insert(args.end(), {"--endpoint-url", control_->url()});
  const PtyRun run = RunInPty(args, kAuditEnv);
  const auto report = json::parse(run.out);
  const uint64_t functions = report["functions"];
  ASSERT_GT(functions, 1u);
  EXPECT_EQ(LastFrame(run.tty), fmt::format("\r  auditing: {0}/{0} functions\x1b[K\r\x1b[K", functions));
}

}  // namespace
}  // namespace lir
