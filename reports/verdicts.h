#pragma once
// Reading verdicts out of a results document (docs/results-format.md) for people
// and CI: the overall verdict, and one entry per checker with the partitions that
// were not valid. Tolerant by design: a report must render whatever a checker wrote,
// so unknown fields are ignored and a missing verdict reads as "unknown".
//
// Accepted shapes: one checker's document at the top level ({"verdict": ...,
// "partitions": [...]} from check_linearizable, {"checker": "set", ...}), or several
// under "checkers" (an object name -> document, or an array of documents). A
// verdict is "verdict": "valid"|"invalid"|"unknown", or Jepsen's "valid": true|false|"unknown".

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace faultline {

struct PartitionVerdict {
  std::string key;  // the partition's key as JSON text, "" for a whole history
  std::string verdict;
  std::string message;  // explanation text, or why unknown
};

struct CheckerVerdict {
  std::string name;     // "linearizable (cas-register)", "set", "bank", ...
  std::string verdict;  // "valid" | "invalid" | "unknown"
  std::string message;  // the explanation a person reads first; may be empty
  std::size_t partitions_total = 0;
  std::vector<PartitionVerdict> not_valid;  // invalid and unknown partitions
};

// "valid" | "invalid" | "unknown" of a document (or sub-document); "unknown" if absent.
std::string verdict_of(const boost::json::object& doc);

// The worst verdict of all checkers (invalid > unknown > valid), or the document's own.
std::string overall_verdict(const boost::json::object& results);

std::vector<CheckerVerdict> checker_verdicts(const boost::json::object& results);

// The checker verdicts as JSON, embedded in reports and served by the store index.
boost::json::object verdicts_to_json(const boost::json::object& results);

}  // namespace faultline
