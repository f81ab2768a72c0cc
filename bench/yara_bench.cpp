// Package-scan throughput of lambda-ir's YARA scanner (the bundled rules, all of them as
// the yara command applies them) over every file of a directory. Prints JSON with the
// matches, so the caller checks them against the yara command before comparing times.
// Usage: lir_yara_bench DIR [THREADS]   (default: one per core)
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "analysis/yara_scanner.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  auto scanner = lir::YaraScanner::FromEmbedded();
  if (!scanner) {
    std::fprintf(stderr, "%s\n", scanner.error().message.c_str());
    return 1;
  }
  std::vector<std::pair<std::string, std::string>> files;
  size_t bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    files.emplace_back(e.path().string(), s.str());
    bytes += files.back().second.size();
  }
  std::set<std::string> matches;
  std::mutex mutex;
  std::atomic<size_t> next{0};
  const int threads = argc > 2 ? std::atoi(argv[2]) : static_cast<int>(std::thread::hardware_concurrency());
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < files.size(); i = next++) {
        for (const auto& m : (*scanner)->Scan(files[i].first, files[i].second, /*all_rules=*/true)) {
          std::lock_guard<std::mutex> lock(mutex);
          matches.insert(m.ns + ":" + m.rule + " " + files[i].first);
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"files\": %zu, \"bytes\": %zu, \"threads\": %d, \"seconds\": %.4f, \"matches\": [", files.size(), bytes, threads, seconds);
  bool first = true;
  for (const auto& m : matches) {
    std::printf("%s\"%s\"", first ? "" : ", ", m.c_str());
    first = false;
  }
  std::printf("]}\n");
}
