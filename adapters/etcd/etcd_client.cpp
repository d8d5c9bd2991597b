#include "adapters/etcd/etcd_client.h"

#include <charconv>
#include <stdexcept>
#include <thread>

#include "adapters/etcd/base64.h"

namespace faultline::adapters {
namespace {

namespace json = boost::json;

// etcd answered with an error (e.g. "etcdserver: request timed out"): for a write the
// outcome is unknown, for a read it is a failure.
class EtcdRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A refusal that is certainly definite: nothing was written.
class DefiniteFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string register_key(const json::value& key) {
  return "r/" + json::serialize(key);
}

std::string decode(const json::value& v) {
  if (!v.is_string()) return {};
  auto bytes = base64_decode(v.get_string());
  if (!bytes) throw EtcdRefusal("etcd returned invalid base64");
  return *bytes;
}

std::int64_t to_int(std::string_view text, const char* what) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw EtcdRefusal(std::string("etcd returned a non-integer ") + what + " '" +
                      std::string(text) + "'");
  }
  return n;
}

// int64 fields come back as JSON strings (grpc-gateway), absent when zero.
std::int64_t int64_field(const json::object& o, const char* field) {
  const auto* v = o.if_contains(field);
  if (!v) return 0;
  if (v->is_string()) return to_int(v->get_string(), field);
  if (v->is_int64()) return v->get_int64();
  return 0;
}

const json::array& kvs(const json::object& response) {
  static const json::array kEmpty;
  const auto* v = response.if_contains("kvs");
  return v && v->is_array() ? v->get_array() : kEmpty;
}

// The key just after every key starting with `prefix` (etcd's range_end for a prefix).
std::string prefix_end(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

json::object range(const std::string& key, const std::string& end, bool serializable,
                   bool keys_only = false) {
  json::object body{{"key", base64_encode(key)}};
  if (!end.empty()) body["range_end"] = base64_encode(end);
  if (serializable) body["serializable"] = true;
  if (keys_only) body["keys_only"] = true;
  return body;
}

json::object put_request(const std::string& key, const std::string& value) {
  return {{"request_put", {{"key", base64_encode(key)}, {"value", base64_encode(value)}}}};
}

bool succeeded(const json::object& txn) {
  const auto* v = txn.if_contains("succeeded");
  return v && v->is_bool() && v->get_bool();
}

}  // namespace

struct EtcdClient::Result {
  OpType type = OpType::kOk;
  json::value value;
  std::optional<std::string> error;
};

EtcdClient::EtcdClient(std::string node, const std::string& host, int port, ClientOptions options)
    : node_(std::move(node)), options_(std::move(options)), http_(host, port) {}

json::object EtcdClient::call(const char* target, const json::object& body) {
  HttpResponse response = http_.post_json(target, json::serialize(body), options_.timeout);
  json::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  if (response.status != 200 || ec || !parsed.is_object()) {
    std::string message = response.body.substr(0, 200);
    if (!ec && parsed.is_object()) {
      if (const auto* m = parsed.get_object().if_contains("message"); m && m->is_string()) {
        message = std::string(m->get_string());
      } else if (const auto* e = parsed.get_object().if_contains("error"); e && e->is_string()) {
        message = std::string(e->get_string());
      }
    }
    throw EtcdRefusal("HTTP " + std::to_string(response.status) + ": " + message);
  }
  return std::move(parsed.get_object());
}

Operation EtcdClient::invoke(const Operation& op) {
  Operation done;
  done.process = op.process;
  done.f = op.f;
  done.key = op.key;
  done.node = node_;
  bool is_read = op.f == "read";
  try {
    Result r = perform(op);
    done.type = r.type;
    done.value = r.type == OpType::kOk && is_read ? std::move(r.value) : op.value;
    if (r.error) done.error = *r.error;
  } catch (const HttpFailure& e) {
    bool not_sent = e.delivery() == HttpFailure::Delivery::kNotSent;
    // A member that refuses connections (killed) answers at once: pause briefly so the
    // worker does not spin on it, filling the history with failures.
    if (not_sent && !e.timed_out()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    bool definite = is_read || not_sent;
    done.type = definite ? OpType::kFail : OpType::kInfo;
    done.value = op.value;
    done.error = e.timed_out() ? std::string("timeout") : std::string(e.what());
  } catch (const DefiniteFailure& e) {
    done.type = OpType::kFail;
    done.value = op.value;
    done.error = e.what();
  } catch (const EtcdRefusal& e) {
    done.type = is_read ? OpType::kFail : OpType::kInfo;
    done.value = op.value;
    done.error = e.what();
  }
  return done;
}

EtcdClient::Result EtcdClient::perform(const Operation& op) {
  const std::string& w = options_.workload;
  if (w == "register") {
    if (!op.key) throw std::invalid_argument("register operations need a key");
    if (op.f == "read") return read_register(op);
    if (op.f == "write") return write_register(op);
    if (op.f == "cas") return cas_register(op);
  } else if (w == "set") {
    if (op.f == "add") return add_element(op);
    if (op.f == "read") return read_set();
  } else if (w == "bank") {
    if (op.f == "read") return read_bank();
    if (op.f == "transfer") return transfer(op);
    if (op.f == "init") return init_bank(op);
  } else {
    throw std::invalid_argument("etcd: no client for workload '" + w + "'");
  }
  throw std::invalid_argument("etcd " + w + " client: unknown operation '" + op.f + "'");
}

EtcdClient::Result EtcdClient::read_register(const Operation& op) {
  json::object response =
      call("/v3/kv/range", range(register_key(*op.key), "", !options_.linearizable_reads));
  const json::array& found = kvs(response);
  if (found.empty()) return {OpType::kOk, nullptr, std::nullopt};
  std::string text = decode(found[0].as_object().at("value"));
  json::error_code ec;
  json::value value = json::parse(text, ec);
  return {OpType::kOk, ec ? json::value(text) : std::move(value), std::nullopt};
}

EtcdClient::Result EtcdClient::write_register(const Operation& op) {
  call("/v3/kv/put", {{"key", base64_encode(register_key(*op.key))},
                      {"value", base64_encode(json::serialize(op.value))}});
  return {OpType::kOk, nullptr, std::nullopt};
}

EtcdClient::Result EtcdClient::cas_register(const Operation& op) {
  const auto* pair = op.value.if_array();
  if (!pair || pair->size() != 2) throw std::invalid_argument("cas needs a value [old new]");
  std::string key = base64_encode(register_key(*op.key));
  json::object body{
      {"compare", json::array{{{"key", key},
                               {"target", "VALUE"},
                               {"result", "EQUAL"},
                               {"value", base64_encode(json::serialize((*pair)[0]))}}}},
      {"success", json::array{put_request(register_key(*op.key), json::serialize((*pair)[1]))}}};
  json::object response = call("/v3/kv/txn", body);
  if (succeeded(response)) return {OpType::kOk, nullptr, std::nullopt};
  return {OpType::kFail, nullptr, std::string("compare failed")};
}

EtcdClient::Result EtcdClient::add_element(const Operation& op) {
  call("/v3/kv/put", {{"key", base64_encode("s/" + json::serialize(op.value))}, {"value", ""}});
  return {OpType::kOk, nullptr, std::nullopt};
}

EtcdClient::Result EtcdClient::read_set() {
  json::object response =
      call("/v3/kv/range", range("s/", prefix_end("s/"), !options_.linearizable_reads, true));
  json::array elements;
  for (const auto& kv : kvs(response)) {
    std::string key = decode(kv.as_object().at("key"));
    elements.push_back(to_int(std::string_view(key).substr(2), "set element"));
  }
  return {OpType::kOk, std::move(elements), std::nullopt};
}

EtcdClient::Result EtcdClient::read_bank() {
  json::object response =
      call("/v3/kv/range", range("b/", prefix_end("b/"), !options_.linearizable_reads));
  json::object balances;
  for (const auto& kv : kvs(response)) {
    const json::object& o = kv.as_object();
    std::string key = decode(o.at("key"));
    balances[key.substr(2)] = to_int(decode(o.at("value")), "balance");
  }
  return {OpType::kOk, std::move(balances), std::nullopt};
}

EtcdClient::Result EtcdClient::init_bank(const Operation& op) {
  const auto* balances = op.value.if_object();
  if (!balances) throw std::invalid_argument("init needs {account: balance}");
  json::array puts;
  for (const auto& [account, balance] : *balances) {
    puts.push_back(put_request("b/" + std::string(account), json::serialize(balance)));
  }
  call("/v3/kv/txn", {{"success", std::move(puts)}});
  return {OpType::kOk, nullptr, std::nullopt};
}

EtcdClient::Result EtcdClient::transfer(const Operation& op) {
  const auto* t = op.value.if_object();
  if (!t || !t->contains("from") || !t->contains("to") || !t->contains("amount")) {
    throw std::invalid_argument("transfer needs {from, to, amount}");
  }
  std::string from = "b/" + std::string(t->at("from").as_string());
  std::string to = "b/" + std::string(t->at("to").as_string());
  std::int64_t amount = t->at("amount").to_number<std::int64_t>();

  // Reading the balances writes nothing: any trouble here is a definite failure.
  std::int64_t from_balance = 0, to_balance = 0, from_rev = -1, to_rev = -1;
  try {
    json::object response =
        call("/v3/kv/range", range("b/", prefix_end("b/"), !options_.linearizable_reads));
    for (const auto& kv : kvs(response)) {
      const json::object& o = kv.as_object();
      std::string key = decode(o.at("key"));
      if (key == from) {
        from_balance = to_int(decode(o.at("value")), "balance");
        from_rev = int64_field(o, "mod_revision");
      } else if (key == to) {
        to_balance = to_int(decode(o.at("value")), "balance");
        to_rev = int64_field(o, "mod_revision");
      }
    }
  } catch (const HttpFailure& e) {
    throw DefiniteFailure(std::string("reading balances: ") +
                          (e.timed_out() ? "timeout" : e.what()));
  } catch (const EtcdRefusal& e) {
    throw DefiniteFailure(std::string("reading balances: ") + e.what());
  }
  if (from_rev < 0 || to_rev < 0) throw DefiniteFailure("account missing");
  if (from_balance < amount) return {OpType::kFail, nullptr, std::string("insufficient funds")};

  auto guard = [](const std::string& key, std::int64_t rev) {
    return json::object{{"key", base64_encode(key)},
                        {"target", "MOD"},
                        {"result", "EQUAL"},
                        {"mod_revision", std::to_string(rev)}};
  };
  json::object body{
      {"compare", json::array{guard(from, from_rev), guard(to, to_rev)}},
      {"success", json::array{put_request(from, std::to_string(from_balance - amount)),
                              put_request(to, std::to_string(to_balance + amount))}}};
  json::object response = call("/v3/kv/txn", body);
  if (succeeded(response)) return {OpType::kOk, nullptr, std::nullopt};
  return {OpType::kFail, nullptr, std::string("balances changed concurrently")};
}

}  // namespace faultline::adapters
