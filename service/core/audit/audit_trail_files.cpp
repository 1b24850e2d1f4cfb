#include "service/core/audit/audit_trail_files.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "service/core/audit/audit_record_json.h"

namespace keyport {

namespace fs = std::filesystem;

fs::path rotatedTrailFile(const fs::path& active, std::uint64_t firstSeq) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".%012llu", static_cast<unsigned long long>(firstSeq));
    return active.parent_path() / (active.filename().string() + suffix);
}

std::optional<std::uint64_t> rotatedFirstSeq(const fs::path& active, const fs::path& file) {
    const std::string prefix = active.filename().string() + ".";
    const std::string name = file.filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
        return std::nullopt;
    }
    const std::string digits = name.substr(prefix.size());
    // Exactly what rotatedTrailFile writes (12 digits, more once seq passes 10^12).
    if (digits.size() < 12 || digits.size() > 19) return std::nullopt;
    std::uint64_t seq = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return seq;
}

std::vector<fs::path> trailFiles(const fs::path& active) {
    std::vector<std::pair<std::uint64_t, fs::path>> rotated;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(active.parent_path(), ec)) {
        if (!entry.is_regular_file()) continue;
        if (auto seq = rotatedFirstSeq(active, entry.path()))
            rotated.emplace_back(*seq, entry.path());
    }
    std::sort(rotated.begin(), rotated.end());
    std::vector<fs::path> files;
    for (auto& [seq, path] : rotated) files.push_back(std::move(path));
    if (fs::exists(active, ec)) files.push_back(active);
    return files;
}

namespace {

std::string readAt(std::ifstream& in, std::uint64_t offset, std::uint64_t length,
                   const fs::path& file) {
    std::string buf(length, '\0');
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(buf.data(), static_cast<std::streamsize>(length));
    if (static_cast<std::uint64_t>(in.gcount()) != length) {
        throw std::runtime_error("cannot read the audit trail file " + file.string());
    }
    return buf;
}

}  // namespace

TrailFileEnds readTrailFileEnds(const fs::path& file) {
    TrailFileEnds ends;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open the audit trail file " + file.string());
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(in.tellg());
    if (size == 0) return ends;
    // A torn line is at most one record long, and so is the last complete line before it.
    constexpr std::uint64_t kLine = audit_json::kMaxRecordBytes + 1;
    const std::uint64_t window = std::min<std::uint64_t>(size, 2 * kLine);
    const std::uint64_t base = size - window;
    const std::string tail = readAt(in, base, window, file);
    const auto lastNewline = tail.rfind('\n');
    if (lastNewline == std::string::npos) {
        if (base > 0)
            throw std::runtime_error(file.string() + " ends in a line longer than a record");
        ends.tornBytes = size;
        return ends;
    }
    ends.completeBytes = base + lastNewline + 1;
    ends.tornBytes = size - ends.completeBytes;
    const auto before = lastNewline == 0 ? std::string::npos : tail.rfind('\n', lastNewline - 1);
    if (before == std::string::npos && base > 0) {
        throw std::runtime_error(file.string() + " ends in a line longer than a record");
    }
    const std::size_t start = before == std::string::npos ? 0 : before + 1;
    ends.last = tail.substr(start, lastNewline - start);
    const std::string head =
        readAt(in, 0, std::min<std::uint64_t>(ends.completeBytes, kLine), file);
    const auto firstNewline = head.find('\n');
    if (firstNewline == std::string::npos) {
        throw std::runtime_error(file.string() + " begins with a line longer than a record");
    }
    ends.first = head.substr(0, firstNewline);
    return ends;
}

}  // namespace keyport
