#pragma once
// HttpConnection: one HTTP/1.1 keep-alive connection to one server (Boost.Beast), used by one
// client thread. Every request has its own deadline covering connect, send and receive.
//
// Failures are classified by what they say about the request, which is what outcome rules
// need: if the connection could not be made, the request was certainly not delivered
// (kNotSent); after it was sent, a timeout or broken connection leaves it unknown (kUnknown).
// After any failure the connection is closed; the next request reconnects.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace faultline::adapters {

class HttpFailure : public std::runtime_error {
 public:
  enum class Delivery { kNotSent, kUnknown };
  HttpFailure(Delivery delivery, bool timed_out, const std::string& what)
      : std::runtime_error(what), delivery_(delivery), timed_out_(timed_out) {}
  Delivery delivery() const { return delivery_; }
  bool timed_out() const { return timed_out_; }

 private:
  Delivery delivery_;
  bool timed_out_;
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpConnection {
 public:
  HttpConnection(std::string host, int port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // POSTs `body` (JSON) to `target`. Throws HttpFailure; any HTTP status is a response.
  HttpResponse post_json(const std::string& target, const std::string& body,
                         std::chrono::milliseconds timeout);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::adapters
