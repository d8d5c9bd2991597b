#pragma once
// EtcdClient: history operations against one etcd member through its v3 HTTP/JSON gateway
// (etcd 3.4: POST /v3/kv/range|put|txn on the client port; keys and values base64, int64
// fields as JSON strings, a failed txn omits "succeeded").
//
// Data layout, per workload:
//   register  key "r/<key>" holds the JSON text of the value; cas = txn comparing VALUE
//   set       one key "s/<element>" per element; read = keys-only range over "s/"
//   bank      key "b/<account>" holds the balance; read = one range over "b/" (one revision);
//             transfer = range, then a txn guarded on both accounts' mod revisions (a changed
//             revision or too small a balance is a definite `fail`)
// Reads are linearizable unless ClientOptions::linearizable_reads is false ("serializable":
// the member answers from its own state, possibly stale).

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "adapters/db.h"
#include "adapters/http_connection.h"

namespace faultline::adapters {

class EtcdClient final : public Client {
 public:
  EtcdClient(std::string node, const std::string& host, int port, ClientOptions options);
  Operation invoke(const Operation& op) override;

 private:
  struct Result;
  // POSTs `body` to `target`; returns the response object. Throws HttpFailure, or EtcdRefusal
  // for an error response.
  boost::json::object call(const char* target, const boost::json::object& body);
  Result perform(const Operation& op);
  Result read_register(const Operation& op);
  Result write_register(const Operation& op);
  Result cas_register(const Operation& op);
  Result add_element(const Operation& op);
  Result read_set();
  Result read_bank();
  Result init_bank(const Operation& op);
  Result transfer(const Operation& op);

  std::string node_;
  ClientOptions options_;
  HttpConnection http_;
};

}  // namespace faultline::adapters
