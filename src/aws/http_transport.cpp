#include "aws/http_transport.h"

#include <curl/curl.h>

#include <charconv>
#include <mutex>

#include <fmt/format.h>

#include "core/strings.h"

namespace lir::aws {

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

namespace {

std::once_flag curl_init_once;

struct Transfer {
  HttpResponse* response;
  const BodyChunkSink* sink;
  size_t max_body;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->sink != nullptr && *t->sink && t->response->status / 100 == 2) {
    return (*t->sink)(std::string_view(data, n)) ? n : 0;
  }
  if (t->response->body.size() + n > t->max_body) {
    t->too_large = true;
    return 0;
  }
  t->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100-continue or a redirect): start over.
    t->response->headers.clear();
    const auto parts = Split(line, ' ');
    int status = 0;  // stays 0 (no answer) for a status line that is not a number
    if (parts.size() > 1) std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), status);
    t->response->status = status;
    return size * count;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    t->response->headers.emplace_back(std::string(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

}  // namespace

struct HttpTransport::Impl {
  TransportOptions options;
  CURLSH* share = nullptr;
  std::mutex share_locks[CURL_LOCK_DATA_LAST];
  std::mutex handles_mutex;
  std::vector<CURL*> idle;  // handles keep their connections alive between requests

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) { static_cast<Impl*>(user)->share_locks[data].unlock(); }

  CURL* Take() {
    std::lock_guard<std::mutex> lock(handles_mutex);
    if (!idle.empty()) {
      CURL* h = idle.back();
      idle.pop_back();
      return h;
    }
    return curl_easy_init();
  }
  void Give(CURL* h) {
    std::lock_guard<std::mutex> lock(handles_mutex);
    idle.push_back(h);
  }
};

HttpTransport::HttpTransport(TransportOptions options) : impl_(new Impl) {
  std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->options = std::move(options);
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_);
}

HttpTransport::~HttpTransport() {
  for (CURL* h : impl_->idle) curl_easy_cleanup(h);
  curl_share_cleanup(impl_->share);
  delete impl_;
}

Result<HttpResponse> HttpTransport::Send(const std::string& method, const std::string& url,
                                         const std::vector<std::pair<std::string, std::string>>& headers,
                                         const std::string& body, const BodyChunkSink& sink, bool fresh_connection) {
  CURL* h = impl_->Take();
  if (h == nullptr) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
  curl_easy_reset(h);
  HttpResponse response;
  Transfer transfer{&response, &sink, impl_->options.max_body_bytes};
  curl_slist* list = nullptr;
  std::string line;
  for (const auto& [k, v] : headers) {
    line.assign(k).append(": ").append(v);
    list = curl_slist_append(list, line.c_str());
  }
  // libcurl adds these unless told not to; the signature does not cover them.
  list = curl_slist_append(list, "Expect:");
  if (body.empty() && method != "GET" && method != "HEAD") list = curl_slist_append(list, "Content-Type:");
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, impl_->options.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, impl_->options.timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);  // never off against AWS
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  // The path is sent as signed: an S3 key may hold "../" segments, which libcurl would
  // otherwise fold, fetching another key (or bucket) than the one listed.
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  if (!impl_->options.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, impl_->options.ca_bundle.c_str());
  if (impl_->options.no_proxy) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // libcurl decodes gzip itself
  if (fresh_connection) curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
  const CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(list);
  impl_->Give(h);
  if (transfer.too_large) {
    return MakeError(ErrorCode::kTooLarge, fmt::format("{} {}: response larger than {} bytes", method, url,
                                                       impl_->options.max_body_bytes));
  }
  if (rc != CURLE_OK) {
    if (rc == CURLE_WRITE_ERROR && sink) return MakeError(ErrorCode::kIo, "response body consumer stopped the transfer");
    Error e{ErrorCode::kUnavailable, fmt::format("{} {}: {}", method, url, curl_easy_strerror(rc))};
    e.service_code = rc == CURLE_OPERATION_TIMEDOUT ? "Timeout" : "ConnectionError";
    return tl::unexpected(e);
  }
  return response;
}

}  // namespace lir::aws
