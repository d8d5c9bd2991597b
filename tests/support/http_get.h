#pragma once
// One HTTP/1.1 GET to a server on 127.0.0.1 (Boost.Beast), for the tests of `faultline serve`'s
// StoreServer: the status, the headers the tests look at, and the body.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string>

namespace faultline::testing {

struct HttpReply {
  unsigned status = 0;
  std::string type, body, location, cache_control;
};

// Throws boost::system::system_error when the server does not answer.
inline HttpReply http_get(unsigned short port, const std::string& target) {
  namespace http = boost::beast::http;
  using tcp = boost::asio::ip::tcp;
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  http::read(socket, buffer, parser);
  auto& res = parser.get();
  return {res.result_int(), std::string(res[http::field::content_type]), res.body(),
          std::string(res[http::field::location]), std::string(res[http::field::cache_control])};
}

}  // namespace faultline::testing
