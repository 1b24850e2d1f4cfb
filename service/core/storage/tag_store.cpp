#include "service/core/storage/tag_store.h"

#include <vector>

namespace keyport::tag_store {

using namespace Poco::Data::Keywords;

std::map<std::string, std::map<std::string, std::string>> projectKeyTags(
    Poco::Data::Session& s, const std::string& projectId) {
    std::vector<std::string> ids, keys, values;
    s << "SELECT t.key_id, t.tag_key, t.tag_value FROM key_tags t JOIN keys k ON k.id = t.key_id"
         " WHERE k.project_id = ?",
        bind(projectId), into(ids), into(keys), into(values), now;
    std::map<std::string, std::map<std::string, std::string>> out;
    for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]][keys[i]] = values[i];
    return out;
}

}  // namespace keyport::tag_store
