// transcript_appender: a separate process that appends records to a ceremony transcript
// through the real Transcript on a region token, for transcript_test's concurrency case.
// Usage: transcript_appender CONFIG TRANSCRIPT REGION COUNT TAG READY_FILE GO_FILE
// It logs in, writes READY_FILE, waits for GO_FILE (so two appenders' logins never overlap
// but their appends do), then appends COUNT records with detail writer=TAG.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "hsm/module.h"
#include "hsm/token.h"
#include "service/core/base/state_dir.h"
#include "service/core/ceremony/transcript.h"

int main(int argc, char** argv) {
    using namespace keyport;
    namespace fs = std::filesystem;
    if (argc != 8) {
        std::fprintf(stderr,
                     "usage: transcript_appender CONFIG TRANSCRIPT REGION COUNT TAG "
                     "READY_FILE GO_FILE\n");
        return 2;
    }
    try {
        const Config config = Config::load(argv[1]);
        prepareStateDir(config);
        hsm::Module module(config.module);
        const std::string region = argv[3];
        const RegionConfig* rc = nullptr;
        for (const auto& r : config.regions) {
            if (r.name == region) rc = &r;
        }
        if (rc == nullptr) throw std::runtime_error("unknown region " + region);
        hsm::Token token(module, rc->tokenLabel, readPinFile(config.userPinFile(*rc)));
        std::ofstream(argv[6]) << "ready\n";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!fs::exists(argv[7])) {
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no go");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        Transcript transcript(argv[2]);
        const int count = std::stoi(argv[4]);
        for (int i = 0; i < count; ++i) {
            auto session = token.session();
            transcript.append(TranscriptEntry{"concurrency-probe",
                                              region,
                                              {},
                                              {{"writer", argv[5]}, {"n", std::to_string(i)}}},
                              *session, region);
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "transcript_appender: %s\n", e.what());
        return 1;
    }
}
