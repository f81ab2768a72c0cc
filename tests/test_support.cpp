#include "test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <libdeflate.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "aws/http_transport.h"

extern char** environ;

namespace lir::test {
namespace fs = std::filesystem;

std::string CorporaDir() {
  const char* env = std::getenv("LIR_CORPORA");
  std::string dir = env ? env : LIR_CORPORA_DEFAULT;
  return fs::is_directory(dir) ? dir : std::string();
}

std::string SourceDir() { return LIR_SOURCE_DIR; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "lir-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

const std::vector<std::string>& PlantedSecrets() {
  static const std::vector<std::string> secrets = {
      "hunter2",                                   // DB_PASSWORD of the seeded functions
      "planted-secret-key-7Qm2",                   // AWS_SECRET_ACCESS_KEY of the response and collect tests
      "planted-session-token-9Xv4",                // their AWS_SESSION_TOKEN
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY",   // the live tests' static keys
      "FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE",
  };
  return secrets;
}

void ExpectNoPlantedSecret(const std::string& where, const std::string& text) {
  for (const std::string& secret : PlantedSecrets()) {
    if (text.find(secret) != std::string::npos) ADD_FAILURE() << where << " holds the planted secret " << secret;
  }
}

namespace {

// Every case directory under `root` (one that holds custody.log), its files outside artifacts/.
void CheckCaseFiles(const fs::path& root) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_directory() || !fs::exists(it->path() / "custody.log")) continue;
    const fs::path case_dir = it->path();
    for (auto f = fs::recursive_directory_iterator(case_dir, fs::directory_options::skip_permission_denied, ec);
         !ec && f != fs::recursive_directory_iterator(); f.increment(ec)) {
      if (f->is_directory() && f->path() == case_dir / "artifacts") {
        f.disable_recursion_pending();
        continue;
      }
      if (!f->is_regular_file() || f->is_symlink()) continue;
      std::ifstream in(f->path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      ExpectNoPlantedSecret(f->path().string(), text.str());
    }
  }
}

bool IsTheTool(const std::string& program) {
  const std::string name = fs::path(program).filename().string();
  return name == "lambda-ir" || name == "lambda-ir-test";
}

}  // namespace

TempDir::~TempDir() {
  CheckCaseFiles(path_);
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {
std::string DrainFd(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}
}  // namespace

CommandResult RunTool(const std::vector<std::string>& args, const std::string& stdin_data) {
  std::vector<std::string> argv{LIR_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, stdin_data);
}

namespace {
CommandResult Spawn(const std::vector<std::string>& argv_in, const std::string& stdin_data, char** envp,
                    const std::function<void(int pid)>& started = nullptr);
}  // namespace

std::string BinaryPath() { return LIR_BINARY; }

CommandResult RunCommand(const std::vector<std::string>& argv_in, const std::string& stdin_data) {
  return Spawn(argv_in, stdin_data, environ);
}

CommandResult RunWithEnv(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::string& stdin_data, const std::function<void(int pid)>& started) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const size_t eq = entry.find('=');
    const std::string name = entry.substr(0, eq);
    if (name.rfind("AWS_", 0) == 0) continue;
    merged[name] = entry.substr(eq + 1);
  }
  merged["AWS_EC2_METADATA_DISABLED"] = "true";
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> storage;
  for (const auto& [k, v] : merged) storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  return Spawn(argv, stdin_data, envp.data(), started);
}

namespace {
CommandResult Spawn(const std::vector<std::string>& argv_in, const std::string& stdin_data, char** envp,
                    const std::function<void(int pid)>& started) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
    posix_spawn_file_actions_addclose(&actions, fd);
  }
  std::vector<std::string> argv_storage = argv_in;
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv_storage[0].c_str(), &actions, nullptr, argv.data(), envp) != 0) {
    throw std::runtime_error("posix_spawn failed");
  }
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  std::thread writer([&] {
    size_t done = 0;
    while (done < stdin_data.size()) {
      ssize_t n = write(in_pipe[1], stdin_data.data() + done, stdin_data.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(in_pipe[1]);
  });
  std::string err;
  std::thread err_reader([&] { err = DrainFd(err_pipe[0]); });
  std::thread watcher([&] {
    if (started) started(pid);
  });
  std::string out = DrainFd(out_pipe[0]);
  writer.join();
  err_reader.join();
  watcher.join();
  int status = 0;
  waitpid(pid, &status, 0);
  if (IsTheTool(argv_in.front()) &&
      std::find(argv_in.begin(), argv_in.end(), "--reveal-secrets") == argv_in.end()) {
    const std::string command = "lambda-ir " + (argv_in.size() > 1 ? argv_in[1] : std::string());
    ExpectNoPlantedSecret("the stdout of " + command, out);
    ExpectNoPlantedSecret("the stderr of " + command, err);
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out, err,
          WIFSIGNALED(status) ? WTERMSIG(status) : 0};
}
}  // namespace

namespace {

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Listening(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

struct Moto {
  pid_t pid = 0;
  std::string endpoint;
  Moto() {
    const int port = FreeLoopbackPort();
    const std::string port_text = std::to_string(port);
    std::vector<std::string> args{"moto_server", "-H", "127.0.0.1", "-p", port_text};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "moto_server", &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start moto_server");
    }
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 300 && !Listening(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!Listening(port)) throw std::runtime_error("moto_server did not start on port " + port_text);
    endpoint = "http://127.0.0.1:" + port_text;
  }
  ~Moto() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

}  // namespace

ChildServer::ChildServer(const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> storage = args;
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  pid_ = pid;
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  port_ = std::atoi(line.c_str());
  if (port_ <= 0) throw std::runtime_error(args[0] + " did not print a port");
}

ChildServer::~ChildServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

const std::string& MotoEndpoint() {
  static Moto moto;
  return moto.endpoint;
}

const std::string& FreshMoto() {
  const std::string& endpoint = MotoEndpoint();
  aws::HttpTransport transport;
  auto r = transport.Send("POST", endpoint + "/moto-api/reset", {}, "");
  if (!r || r->status != 200) throw std::runtime_error("cannot reset moto_server");
  return endpoint;
}

std::string PostJson(const std::string& url, const std::string& body) {
  aws::HttpTransport transport;
  auto r = transport.Send("POST", url, {{"Content-Type", "application/json"}}, body);
  if (!r || r->status != 200) throw std::runtime_error("POST " + url + " failed");
  return r->body;
}

void ResetServer(const std::string& url) {
  aws::HttpTransport transport;
  auto r = transport.Send("POST", url + "/_proxy/reset", {}, "");
  if (!r || r->status != 200) throw std::runtime_error("cannot reset " + url);
}

CommandResult RunPython(const std::string& script, const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                        const std::string& stdin_data) {
  static ChildServer runner({"python3", SourceDir() + "/tests/servers/python_runner.py"});
  nlohmann::json request{{"script", script.find('/') == std::string::npos ? SourceDir() + "/tests/" + script : script},
                         {"args", args},
                         {"stdin", stdin_data},
                         {"env", env}};
  aws::TransportOptions options;
  options.timeout_ms = 600'000;  // a script may run many aws CLI lines
  aws::HttpTransport transport(options);
  auto r = transport.Send("POST", runner.url() + "/", {{"Content-Type", "application/json"}}, request.dump());
  if (!r || r->status != 200) throw std::runtime_error("python runner failed for " + script);
  const auto answer = nlohmann::json::parse(r->body);
  return {answer["exit"].get<int>(), answer["out"].get<std::string>(), answer["err"].get<std::string>()};
}

std::string Gzip(const std::string& data) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  out.resize(libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size()));
  libdeflate_free_compressor(c);
  return out;
}

}  // namespace lir::test
