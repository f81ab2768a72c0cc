// The floor a CloudTrail scan is measured against: every .json.gz file of the archive read,
// gunzipped with libdeflate and parsed whole into a simdjson DOM, nothing else. It counts
// the records (elements of each file's "Records" array) so its answer can be checked against
// lambda-ir's before either is timed (bench/run_bench.sh).
//
//   lir_bare_scan [--jobs N] [--decompress-only] FILE...   (or a list of files on stdin: -)
#include <libdeflate.h>
#include <sys/stat.h>
#include <simdjson.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Totals {
  std::atomic<uint64_t> records{0}, bytes{0}, bad{0};
};

// The whole file in one read of its size (an istreambuf_iterator copy cost a byte at a time),
// then on to its end (a pipe has no size).
bool ReadAll(const std::string& path, std::string* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  struct stat st {};
  // One byte more than the size: a read that fills it is not at the end yet.
  out->resize((fstat(fileno(f), &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0) + 1);
  size_t got = std::fread(out->data(), 1, out->size(), f);
  while (got == out->size() && !std::ferror(f)) {
    out->resize(got + (1 << 16));
    got += std::fread(out->data() + got, 1, out->size() - got, f);
  }
  out->resize(got);
  const bool ok = !std::ferror(f);
  return std::fclose(f) == 0 && ok;
}

void ScanFiles(const std::vector<std::string>& files, std::atomic<size_t>* next, bool parse, Totals* totals) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  simdjson::dom::parser parser;
  std::string raw;
  std::vector<char> text;
  for (size_t i = next->fetch_add(1); i < files.size(); i = next->fetch_add(1)) {
    if (!ReadAll(files[i], &raw) || raw.size() < 18) {
      ++totals->bad;
      continue;
    }
    uint32_t isize = 0;  // the gzip trailer: the decoded size modulo 2^32
    std::memcpy(&isize, raw.data() + raw.size() - 4, 4);
    text.resize(isize + simdjson::SIMDJSON_PADDING);
    size_t decoded = 0;
    if (libdeflate_gzip_decompress(d, raw.data(), raw.size(), text.data(), isize, &decoded) != LIBDEFLATE_SUCCESS) {
      ++totals->bad;
      continue;
    }
    totals->bytes += decoded;
    if (!parse) continue;
    simdjson::dom::element doc;
    simdjson::dom::array records;
    if (parser.parse(text.data(), decoded, false).get(doc) || doc["Records"].get(records)) {
      ++totals->bad;
      continue;
    }
    totals->records += records.size();
  }
  libdeflate_free_decompressor(d);
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = 1;
  bool parse = true;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) {
      jobs = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else if (arg == "--decompress-only") {
      parse = false;
    } else if (arg == "-") {
      for (std::string line; std::getline(std::cin, line);) {
        if (!line.empty()) files.push_back(line);
      }
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty() || jobs == 0) {
    std::fprintf(stderr, "usage: lir_bare_scan [--jobs N] [--decompress-only] FILE... | -\n");
    return 2;
  }
  Totals totals;
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(ScanFiles, std::cref(files), &next, parse, &totals);
  for (auto& t : threads) t.join();
  std::printf("%zu files, %llu bytes, %llu records, %llu bad\n", files.size(),
              static_cast<unsigned long long>(totals.bytes.load()), static_cast<unsigned long long>(totals.records.load()),
              static_cast<unsigned long long>(totals.bad.load()));
  return totals.bad.load() == 0 ? 0 : 1;
}
