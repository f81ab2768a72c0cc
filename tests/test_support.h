// Helpers shared by the tests: paths to third-party corpora, temp dirs, running the binary.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lir::test {

// ../shared/corpora beside the checkout, or $LIR_CORPORA. Empty if absent.
std::string CorporaDir();
std::string SourceDir();
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

// A fresh directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code;    // 128 + the signal when one ended it
  std::string out;  // stdout
  std::string err;  // stderr
  int signal = 0;   // the signal that ended it, or 0
};

// Runs the lambda-ir binary with `args` (no shell), optional stdin content.
CommandResult RunTool(const std::vector<std::string>& args, const std::string& stdin_data = "");
// Runs any program found on PATH (argv[0]) the same way.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_data = "");

// As above with a controlled environment: every AWS_* variable of the test process is
// dropped (no real credentials leak in), instance metadata is disabled (no test may reach
// 169.254.169.254), then `env` is applied.
// `started`, when given, is called with the child's pid on a thread of its own while the
// child runs (to signal it mid-run); it must return before the child can end.
CommandResult RunWithEnv(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::string& stdin_data = "", const std::function<void(int pid)>& started = nullptr);
std::string BinaryPath();

// A moto_server on a free loopback port, started on first use and stopped at exit.
const std::string& MotoEndpoint();
// The same server with all its state reset (moto's /moto-api/reset), for tests that seed it.
const std::string& FreshMoto();

// A helper server (tests/servers/*.py) that prints its loopback port on its first line;
// stopped when the object dies.
class ChildServer {
 public:
  explicit ChildServer(const std::vector<std::string>& argv);
  ~ChildServer();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int pid_ = 0;
  int port_ = 0;
};

// POSTs `body` to `url`; returns the answer's body (throws unless 200).
std::string PostJson(const std::string& url, const std::string& body);

// POST /_proxy/reset to a test proxy of tests/servers: its in-memory state forgotten.
void ResetServer(const std::string& url);

// A helper script of tests/ (seeds, state readers) run by the binary's one Python runner
// (tests/servers/python_runner.py): boto3 is imported once, not per call. `env` is added to
// the runner's environment, which holds no AWS_* variable of the test process.
CommandResult RunPython(const std::string& script, const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env = {}, const std::string& stdin_data = "");

std::string Gzip(const std::string& data);

// The secret values the tests plant (environment values of seeded functions, the credentials
// the tool runs with). Every stdout and stderr of the tool (unless run with --reveal-secrets)
// and every file of every case directory a TempDir held (its artifacts/ excepted: evidence
// keeps what the function had, by design) is checked for them: a hit is a test failure.
const std::vector<std::string>& PlantedSecrets();
void ExpectNoPlantedSecret(const std::string& where, const std::string& text);

}  // namespace lir::test

#define LIR_REQUIRE_CORPORA()                                                        \
  do {                                                                               \
    if (::lir::test::CorporaDir().empty()) GTEST_SKIP() << "../shared/corpora absent"; \
  } while (0)
