#include "service/core/ceremony/transcript.h"

#include <fstream>

namespace keyport {

// STUB (lead): unsigned, unchained lines until the transcript helper's implementation lands.

Transcript::Transcript(std::filesystem::path file) : file_(std::move(file)) {}

std::filesystem::path Transcript::defaultPath(const Config& config) {
    return config.stateDir / "ceremony" / "transcript.jsonl";
}

void Transcript::append(const TranscriptEntry& entry, hsm::Session&, const std::string&) {
    std::filesystem::create_directories(file_.parent_path());
    std::ofstream out(file_, std::ios::app);
    out << "{\"step\":\"" << entry.step << "\",\"region\":\"" << entry.region << "\"}\n";
}

void Transcript::append(const TranscriptEntry& entry, RegionTokens& tokens) {
    const std::string region =
        tokens.has(entry.region) ? entry.region : tokens.all().begin()->first;
    auto session = tokens.token(region).session();
    append(entry, *session, region);
}

}  // namespace keyport
