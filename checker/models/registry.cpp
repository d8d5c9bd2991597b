// The list of models: name -> factory. A new model adds its line here.

#include <algorithm>
#include <utility>

#include "checker/lin/check.h"
#include "checker/lin/model.h"

namespace faultline {

std::unique_ptr<PartitionModel> make_register_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_cas_register_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_mutex_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_set_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_fifo_queue_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_unordered_queue_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_kv_model(const ModelConfig&);
std::unique_ptr<PartitionModel> make_multi_register_model(const ModelConfig&);

namespace {

const std::pair<const char*, ModelFactory> kModels[] = {
    {"cas-register", make_cas_register_model},
    {"fifo-queue", make_fifo_queue_model},
    {"kv", make_kv_model},
    {"multi-register", make_multi_register_model},
    {"mutex", make_mutex_model},
    {"register", make_register_model},
    {"set", make_set_model},
    {"unordered-queue", make_unordered_queue_model},
};

}  // namespace

ModelFactory find_model(const std::string& name) {
  for (const auto& [model, factory] : kModels) {
    if (name == model) return factory;
  }
  return nullptr;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& entry : kModels) names.emplace_back(entry.first);
  std::sort(names.begin(), names.end());
  return names;
}

namespace {
std::string joined_models() {
  std::string out;
  for (const auto& name : model_names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}
}  // namespace

UnknownModel::UnknownModel(const std::string& name)
    : std::invalid_argument("unknown model '" + name + "' (models: " + joined_models() + ")") {}

}  // namespace faultline
