// The tags of a project's keys read in one query, for tag queries over the project
// (Huawei KMS kms/tags and resource_instances/action). A key's own tags are in key_store.
#pragma once

#include <Poco/Data/Session.h>

#include <map>
#include <string>

namespace keyport::tag_store {

// key id -> (tag key -> value), for every key of the project that has tags.
std::map<std::string, std::map<std::string, std::string>> projectKeyTags(
    Poco::Data::Session& s, const std::string& projectId);

}  // namespace keyport::tag_store
