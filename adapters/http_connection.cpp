#include "adapters/http_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace faultline::adapters {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpConnection::Impl {
  std::string host;
  int port;
  std::string authority;  // host:port, for messages and the Host header
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  tcp::resolver::results_type endpoints;
  bool open = false;

  // Runs the queued asynchronous operation to completion (the stream's deadline bounds it).
  void run() {
    ioc.restart();
    ioc.run();
  }
};

HttpConnection::HttpConnection(std::string host, int port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->authority = impl_->host + ":" + std::to_string(port);
}

HttpConnection::~HttpConnection() {
  close();
}

void HttpConnection::close() {
  if (!impl_->open) return;
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.close();
  impl_->buffer.clear();
  impl_->open = false;
}

HttpResponse HttpConnection::post_json(const std::string& target, const std::string& body,
                                       std::chrono::milliseconds timeout) {
  Impl& c = *impl_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  beast::error_code ec;
  auto fail = [&](HttpFailure::Delivery delivery, const char* during) {
    close();
    bool timed_out = ec == beast::error::timeout;
    return HttpFailure(
        delivery, timed_out,
        std::string(during) + " " + c.authority + ": " + (timed_out ? "timed out" : ec.message()));
  };

  if (!c.open) {
    if (c.endpoints.empty()) {
      tcp::resolver resolver(c.ioc);
      c.endpoints = resolver.resolve(c.host, std::to_string(c.port), ec);
      if (ec) throw fail(HttpFailure::Delivery::kNotSent, "resolving");
    }
    c.stream.expires_at(deadline);
    c.stream.async_connect(c.endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    c.run();
    if (ec) throw fail(HttpFailure::Delivery::kNotSent, "connecting to");
    c.stream.socket().set_option(tcp::no_delay(true));
    c.open = true;
  }

  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, c.authority);
  request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  c.stream.expires_at(deadline);
  http::async_write(c.stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
  c.run();
  if (ec) throw fail(HttpFailure::Delivery::kUnknown, "sending to");

  http::response<http::string_body> response;
  c.stream.expires_at(deadline);
  http::async_read(c.stream, c.buffer, response, [&](beast::error_code e, std::size_t) { ec = e; });
  c.run();
  if (ec) throw fail(HttpFailure::Delivery::kUnknown, "awaiting the response of");
  c.stream.expires_never();
  if (!response.keep_alive()) close();
  return HttpResponse{static_cast<int>(response.result_int()), std::move(response.body())};
}

}  // namespace faultline::adapters
