// One coroutine per stream (HttpStreamContext) through tests/coro/linear_probe, on both
// backends: phases held and released in order with changes landing in their phase, skipped
// phases flowing, a local reply from each phase, whole-body limits, a chunked transform,
// timeouts, combinators, per-stream timers, and the stream reset at each kind of await. The
// fixture fails any test that makes an illegal host call.
#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

using Logs = std::vector<std::string>;
using Pair = std::pair<std::string, std::string>;

class LinearTest : public PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request(Pairs headers, bool end_of_stream = false) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers), end_of_stream);
    return stream;
  }
  const StreamState& stream(uint32_t id) { return host().stream(id); }

  uint32_t root_ = 0;
  Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(LinearTest, "linear_probe");

TEST_P(LinearTest, EveryPhaseInOrderEachChangedInItsOwnPhase) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "phases"}});
  EXPECT_EQ(last_, Action::Continue);  // the coroutine moved on to the request trailers
  EXPECT_EQ(emu().send_request_body(s, "abc", false), Action::Continue);  // not awaited: flows
  EXPECT_EQ(emu().send_request_trailers(s, {{"t", "1"}}), Action::Continue);
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(emu().send_response_body(s, "xyz", false), Action::Continue);
  EXPECT_EQ(emu().send_response_trailers(s, {}), Action::Continue);
  EXPECT_EQ(log_messages(), (Logs{"request headers 2", "request trailers 1 end", "response headers 1",
                          "response trailers 0 end", "run done", "destroyed run"}));
  EXPECT_EQ(stream(s).maps[0].back(), (Pair{"x-phase", "request"}));
  EXPECT_EQ(stream(s).maps[1].back(), (Pair{"x-trailer", "request"}));
  EXPECT_EQ(stream(s).maps[2].back(), (Pair{"x-phase", "response"}));
  EXPECT_EQ(stream(s).maps[3].back(), (Pair{"x-trailer", "response"}));
  EXPECT_EQ(stream(s).request.forwarded, "abc");
  EXPECT_EQ(stream(s).response.forwarded, "xyz");
}

TEST_P(LinearTest, APhaseTheCoroutineWorksOnIsHeldUntilItMovesOn) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "callout"}, {"x-ms", "1000"}});
  EXPECT_EQ(last_, Action::Pause);  // the request headers wait for the callout
  EXPECT_EQ(emu().send_request_body(s, "abc", true), std::nullopt);  // held by the host
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});
  EXPECT_EQ(stream(s).maps[0].back(), (Pair{"x-auth", "200"}));  // changed while held
  EXPECT_EQ(stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_EQ(stream(s).request.forwarded, "abc");
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "callout 200", "run done", "destroyed run"}));
}

TEST_P(LinearTest, SkippedPhasesFlowThroughUntouched) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "skip"}});
  EXPECT_EQ(emu().send_request_body(s, "abc", false), Action::Continue);
  EXPECT_EQ(emu().send_request_trailers(s, {{"t", "1"}}), Action::Continue);
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(emu().send_response_body(s, "xyz", true), Action::Continue);  // after the end
  EXPECT_EQ(log_messages(), (Logs{"request headers 2", "response headers 1", "run done", "destroyed run"}));
  EXPECT_EQ(stream(s).request.forwarded, "abc");
  EXPECT_EQ(stream(s).maps[1], (Pairs{{"t", "1"}}));
  EXPECT_TRUE(stream(s).continued.empty());  // nothing was ever held
}

TEST_P(LinearTest, LocalReplyFromEachPhase) {
  for (const std::string at : {"request-headers", "request-body", "response-headers"}) {
    SCOPED_TRACE(at);
    const uint32_t s = request({{":path", "/"}, {"x-flow", "local"}, {"x-at", at}});
    emu().send_request_body(s, "body", true);
    emu().send_response_headers(s, {{":status", "200"}});
    emu().send_response_body(s, "resp", true);
    ASSERT_TRUE(stream(s).local_response.has_value());
    EXPECT_EQ(stream(s).local_response->status_code, 403u);
    EXPECT_EQ(stream(s).local_response->body, "denied at " + at);
    // Before the upstream's response headers the reply runs through the response callbacks
    // (untouched: the coroutine finished); after them it goes straight out (Envoy).
    EXPECT_EQ(stream(s).response.forwarded, at == "response-headers" ? "" : "denied at " + at);
    EXPECT_EQ(log_messages()[log_messages().size() - 2], "local reply at " + at);
    EXPECT_EQ(log_messages().back(), "destroyed run");
    emu().end_stream(s);
  }
}

// A local reply sent by one branch while another waits for the request body: the body wait
// ends with NotFound (the request is over), and the coroutine goes on.
TEST_P(LinearTest, ALocalReplyEndsAPendingRequestWait) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "reply-while-waiting"}, {"x-ms", "50"}});
  // Part of the body is there: the wait must not read it once the request is over (the reply
  // runs through the response callbacks, where the request body cannot be read).
  EXPECT_EQ(emu().send_request_body(s, "part", false), Action::Pause);
  emu().advance(50);
  ASSERT_TRUE(stream(s).local_response.has_value());
  EXPECT_EQ(stream(s).local_response->status_code, 403u);
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "body after the reply: error 1", "destroyed run"}));
  EXPECT_TRUE(stream(s).continued.empty());
}

// Reading the response body lets the response headers go (Envoy delivers no body while the
// headers are paused), so a reply then comes too late: the host records it.
TEST_P(LinearTest, LocalReplyAfterTheResponseHeadersWentIsTooLate) {
  expect_illegal_calls();
  const uint32_t s = request({{":path", "/"}, {"x-flow", "local"}, {"x-at", "response-body"}});
  emu().send_response_headers(s, {{":status", "200"}});
  emu().send_response_body(s, "resp", true);
  ASSERT_EQ(host().illegal_calls().size(), 1u);
  EXPECT_EQ(host().illegal_calls()[0].reason,
            "a local response after the response headers were sent");
}

TEST_P(LinearTest, WholeBodyWithinAndOverTheLimit) {
  const uint32_t ok = request({{":path", "/"}, {"x-flow", "whole"}, {"x-limit", "5"}});
  EXPECT_EQ(emu().send_request_body(ok, "abc", false), Action::Pause);  // buffered
  EXPECT_EQ(stream(ok).request.forwarded, "");
  EXPECT_EQ(emu().send_request_body(ok, "de", true), Action::Continue);
  EXPECT_EQ(stream(ok).request.forwarded, "ABCDE");  // changed as a whole, then let go

  const uint32_t big = request({{":path", "/"}, {"x-flow", "whole"}, {"x-limit", "5"}});
  EXPECT_EQ(emu().send_request_body(big, "abc", false), Action::Pause);
  emu().send_request_body(big, "defgh", false);  // 8 bytes: past the limit before the end
  ASSERT_TRUE(stream(big).local_response.has_value());
  EXPECT_EQ(stream(big).local_response->status_code, 413u);
  EXPECT_EQ(stream(big).request.forwarded, "");  // nothing of it went upstream
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "whole abcde", "run done", "destroyed run",
                          "request headers 3", "whole error 256", "destroyed run"}));
}

TEST_P(LinearTest, ChunkedTransform) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "chunks"}});
  EXPECT_EQ(emu().send_request_body(s, "ab", false), Action::Continue);
  EXPECT_EQ(stream(s).request.forwarded, "AB");
  EXPECT_EQ(emu().send_request_body(s, "cd", true), Action::Continue);
  EXPECT_EQ(stream(s).request.forwarded, "ABCD");
  EXPECT_EQ(log_messages(), (Logs{"request headers 2", "chunk 0 ab", "chunk 0 cd end", "run done",
                          "destroyed run"}));
}

// Trailers end the body: the loop learns it as NotFound inside the trailers callback, never
// as an empty chunk whose offset it would read there (the body buffer is not readable then).
TEST_P(LinearTest, ChunkedBodyEndedByTrailersEndsWithNotFound) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "chunks"}});
  EXPECT_EQ(emu().send_request_body(s, "abc", false), Action::Continue);
  EXPECT_EQ(emu().send_request_trailers(s, {{"t", "1"}}), Action::Continue);
  EXPECT_EQ(stream(s).request.forwarded, "ABC");
  EXPECT_EQ(log_messages(), (Logs{"request headers 2", "chunk 0 abc", "chunks over 1", "run done",
                          "destroyed run"}));
}

// One rule for a phase the stream does not have: phase(), next_chunk() and whole_body() all
// answer NotFound (here: the request ended with its headers).
TEST_P(LinearTest, WholeBodyOfARequestWithoutABodyIsNotFound) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "whole"}}, true);
  EXPECT_EQ(log_messages(), (Logs{"request headers 2 end", "whole error 1", "destroyed run"}));
  ASSERT_TRUE(stream(s).local_response.has_value());  // the probe answers its errors with 413
  EXPECT_EQ(stream(s).local_response->status_code, 413u);
}

TEST_P(LinearTest, ChunkedTransformThatWaitsWhileMoreArrives) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "chunks"}, {"x-sleep", "yes"}});
  EXPECT_EQ(emu().send_request_body(s, "ab", false), Action::Pause);  // held while it works
  EXPECT_EQ(emu().send_request_body(s, "cd", true), Action::Pause);   // appended behind it
  emu().advance(100);  // "ab" done; the new bytes come next, from the same buffer
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "chunk 0 ab", "chunk 2 cd end"}));
  EXPECT_EQ(stream(s).request.forwarded, "");
  emu().advance(100);
  EXPECT_EQ(stream(s).request.forwarded, "ABCD");  // each byte transformed exactly once
  EXPECT_EQ(stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
}

TEST_P(LinearTest, TimeoutFiresOrNot) {
  const uint32_t late = request({{":path", "/"}, {"x-flow", "callout"}, {"x-ms", "100"}});
  emu().advance(100);
  ASSERT_TRUE(stream(late).local_response.has_value());
  EXPECT_EQ(stream(late).local_response->status_code, 504u);
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});  // dropped

  const uint32_t fast = request({{":path", "/"}, {"x-flow", "callout"}, {"x-ms", "100"}});
  emu().answer_http_call(host().http_callouts()[1].token, {{":status", "200"}});
  EXPECT_EQ(stream(fast).maps[0].back(), (Pair{"x-auth", "200"}));
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "callout 257", "destroyed run", "request headers 3",
                          "callout 200", "run done", "destroyed run"}));
}

TEST_P(LinearTest, CombinatorsInAStream) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "both"}});
  ASSERT_EQ(host().http_callouts().size(), 2u);
  emu().answer_http_call(host().http_callouts()[0].token, {{":status", "200"}});
  emu().fail_http_call(host().http_callouts()[1].token);
  ASSERT_EQ(host().http_callouts().size(), 4u);  // then c and d at once
  emu().answer_http_call(host().http_callouts()[3].token, {{":status", "200"}});
  EXPECT_EQ(log_messages(),
            (Logs{"request headers 2", "both ok error any 1", "run done", "destroyed run"}));
  EXPECT_EQ(stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
}

TEST_P(LinearTest, PerStreamTimers) {
  const uint32_t slow = request({{":path", "/"}, {"x-flow", "sleep"}, {"x-ms", "200"}});
  const uint32_t fast = request({{":path", "/"}, {"x-flow", "sleep"}, {"x-ms", "100"}});
  emu().advance(100);
  EXPECT_EQ(stream(fast).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_TRUE(stream(slow).continued.empty());
  emu().advance(100);
  EXPECT_EQ(stream(slow).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
}

TEST_P(LinearTest, TcpConnectionInBothDirections) {
  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t c = emu().open_stream(root_);
  EXPECT_EQ(emu().new_connection(c), Action::Continue);
  EXPECT_EQ(emu().send_downstream_data(c, "slowhel", false), Action::Pause);   // half a line
  EXPECT_EQ(emu().send_upstream_data(c, "early ", false), Action::Continue);   // not read: flows
  EXPECT_EQ(emu().send_downstream_data(c, "lo\nrest", false), Action::Pause);  // joins it
  EXPECT_EQ(stream(c).request.forwarded, "");
  emu().advance(50);
  EXPECT_EQ(stream(c).request.forwarded, "SLOWHELLO\nREST");  // the whole line, changed
  EXPECT_EQ(emu().send_upstream_data(c, "world", true), Action::Continue);
  EXPECT_EQ(stream(c).response.forwarded, "early > world");
  EXPECT_EQ(log_messages(), (Logs{"down 0 slowhel", "down 7 lo\nrest", "up world", "connection done",
                          "destroyed connection"}));
  EXPECT_EQ(stream(c).continued, std::vector<StreamType>{StreamType::Downstream});
  EXPECT_EQ(emu().send_downstream_data(c, "more", true), Action::Continue);  // after the end
}

// A data callback that resumes the coroutine over held bytes asks the host for the buffer's
// length once, after the coroutine ran (it may have changed them), not again before returning.
TEST_P(LinearTest, TcpDataCallbackAsksForTheHeldLengthOnce) {
  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t c = emu().open_stream(root_);
  emu().new_connection(c);
  const auto length_asked = [&] {
    size_t calls = 0;
    for (const Host::PluginCall& call : host().plugin_call_log()) {
      calls += call.import == "proxy_get_buffer_status" ? 1 : 0;
    }
    return calls;
  };
  EXPECT_EQ(emu().send_downstream_data(c, "slowhe", false), Action::Pause);  // held from now on
  EXPECT_EQ(length_asked(), 1u);
  EXPECT_EQ(emu().send_downstream_data(c, "ll", false), Action::Pause);
  EXPECT_EQ(length_asked(), 2u);
  EXPECT_EQ(emu().send_downstream_data(c, "o\n", false), Action::Pause);  // the line: 50 ms
  EXPECT_EQ(length_asked(), 3u);
  emu().advance(50);  // woken by the timer: it changes the bytes and lets them go
  EXPECT_EQ(stream(c).request.forwarded, "SLOWHELLO\n");
  EXPECT_EQ(length_asked(), 3u);
}

// read_line / read_until: lines that come several in one chunk or one in many, each with where
// its bytes are in the held buffer; the limit (TooLarge, 256), a second read at once and an
// empty delimiter (BadArgument, 2) and the end of the data (NotFound, 1) are errors;
// everything read stays held until run() returns.
TEST_P(LinearTest, TcpReadLineGivesEachLineWhereverItsBytesCame) {
  reset_emulator();
  root_ = emu().start_plugin("", "lines");
  const uint32_t c = emu().open_stream(root_);
  emu().new_connection(c);
  EXPECT_EQ(emu().send_downstream_data(c, "one\r\ntwo\nth", false), Action::Pause);
  EXPECT_EQ(emu().send_downstream_data(c, "ree", false), Action::Pause);
  EXPECT_EQ(emu().send_downstream_data(c, "\n\ntwice\n", false), Action::Pause);
  EXPECT_EQ(emu().send_downstream_data(c, "x\r\n--\n", false), Action::Pause);
  EXPECT_EQ(stream(c).request.forwarded, "");  // all of it held: run() is not over
  EXPECT_EQ(emu().send_upstream_data(c, "ab;", false), Action::Pause);
  // run() ends inside this callback (a record too long): it answers Continue.
  EXPECT_EQ(emu().send_upstream_data(c, ";cdef;;toolong", false), Action::Continue);
  EXPECT_EQ(log_messages(),
            (Logs{"line 0+5 one", "line 5+4 two", "line 9+6 three", "line 15+1 ", "line 16+6 twice",
                  "twice x 2", "line 0+4 ab", "line 4+6 cdef", "up over 256",
                  "empty delimiter 2"}));
  // run() returned: what it held of both directions goes on, unchanged.
  EXPECT_EQ(stream(c).request.forwarded, "one\r\ntwo\nthree\n\ntwice\nx\r\n--\n");
  EXPECT_EQ(stream(c).response.forwarded, "ab;;cdef;;toolong");
}

TEST_P(LinearTest, TcpReadLineEndsWithTheDataOrAtItsLimit) {
  reset_emulator();
  root_ = emu().start_plugin("", "lines");
  const uint32_t ended = emu().open_stream(root_);
  emu().new_connection(ended);
  emu().send_downstream_data(ended, "a\nhalf", true);  // the last line has no end
  EXPECT_EQ(log_messages(), (Logs{"line 0+2 a", "down over 1"}));
  const uint32_t long_line = emu().open_stream(root_);
  emu().new_connection(long_line);
  emu().send_downstream_data(long_line, "12345678", false);  // 8 bytes: may still end
  EXPECT_EQ(log_messages().size(), 2u);
  emu().send_downstream_data(long_line, "9", false);  // the 9th byte is not a line end
  EXPECT_EQ(log_messages().back(), "down over 256");
}

TEST_P(LinearTest, TcpLetGoInsideTheDataCallbackLetsTheDataGoAtOnce) {
  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t c = emu().open_stream(root_);
  emu().new_connection(c);
  // The line is complete in one chunk: changed and let go while its callback runs, then the
  // coroutine waits for the server, which must get the line for there to be an answer.
  EXPECT_EQ(emu().send_downstream_data(c, "hi\n", false), Action::Continue);
  EXPECT_EQ(stream(c).request.forwarded, "HI\n");
  EXPECT_TRUE(stream(c).continued.empty());
  EXPECT_EQ(emu().send_upstream_data(c, "ok", false), Action::Continue);
  EXPECT_EQ(stream(c).response.forwarded, "> ok");
}

TEST_P(LinearTest, AWaitGivenUpIsNeverResumed) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "patient"}, {"x-ms", "50"}});
  emu().advance(50);  // no body in time: the chunk wait is dropped, the coroutine moves on
  EXPECT_EQ(emu().send_request_body(s, "late", true), Action::Continue);  // behind it: flows
  EXPECT_EQ(stream(s).request.forwarded, "late");
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "200"}}), Action::Continue);
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "body 257", "response headers 1", "run done",
                          "destroyed run"}));
}

TEST_P(LinearTest, CloseFromTheCoroutineEndsTheStream) {
  const uint32_t s = request({{":path", "/"}, {"x-flow", "close"}, {"x-ms", "50"}});
  EXPECT_EQ(emu().send_request_body(s, "abc", true), std::nullopt);  // held by the host
  emu().advance(50);
  EXPECT_EQ(stream(s).closed, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_TRUE(stream(s).continued.empty());  // nothing went on after the close
  EXPECT_EQ(stream(s).request.forwarded, "");
  EXPECT_EQ(emu().send_response_headers(s, {{":status", "200"}}), std::nullopt);  // dropped

  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t c = emu().open_stream(root_);
  emu().new_connection(c);
  emu().send_downstream_data(c, "QUIT\n", false);
  EXPECT_EQ(stream(c).closed, std::vector<StreamType>{StreamType::Downstream});
  EXPECT_TRUE(stream(c).continued.empty());
  EXPECT_EQ(stream(c).request.forwarded, "");
}

// A host that ends the stream from inside proxy_close_stream calls proxy_on_done while the
// coroutine that closed is still running below: it must be destroyed after, not during.
TEST_P(LinearTest, StreamEndedFromInsideTheCoroutinesOwnClose) {
  HostBehaviour behaviour;
  behaviour.close_ends_stream_inside_the_call = true;
  reset_emulator(behaviour);
  root_ = emu().start_plugin();
  const uint32_t s = request({{":path", "/"}, {"x-flow", "close"}, {"x-ms", "50"}});
  emu().advance(50);  // resumed by the tick, it closes; on_done comes from inside the close
  EXPECT_EQ(log_messages(), (Logs{"request headers 3", "closing", "destroyed run"}));
  EXPECT_EQ(stream(s).closed, std::vector<StreamType>{StreamType::HttpRequest});
  emu().end_stream(s);
}

TEST_P(LinearTest, TcpConnectionClosedOrResetWhileTheCoroutineWaits) {
  reset_emulator();
  root_ = emu().start_plugin("", "tcp");
  const uint32_t closed = emu().open_stream(root_);
  emu().new_connection(closed);
  emu().send_downstream_data(closed, "abc", false);
  // The line never ends: the coroutine learns of the end as NotFound, never as an empty
  // chunk (whose offset it could not read in the close callback).
  emu().close_downstream(closed);
  EXPECT_EQ(log_messages(), (Logs{"down 0 abc", "down over 1", "destroyed connection"}));

  const uint32_t reset = emu().open_stream(root_);
  emu().new_connection(reset);
  emu().send_downstream_data(reset, "x", false);
  emu().end_stream(reset);
  EXPECT_EQ(log_messages().back(), "destroyed connection");
  emu().advance(100);
  EXPECT_TRUE(stream(reset).continued.empty());
}

TEST_P(LinearTest, StreamResetAtEachKindOfAwait) {
  struct Case {
    Pairs headers;
    const char* body;  // sent (not ended) before the reset, or nullptr
  };
  const Case cases[] = {
      {{{"x-flow", "skip"}}, nullptr},                       // a phase
      {{{"x-flow", "whole"}}, "abc"},                        // the whole body
      {{{"x-flow", "chunks"}, {"x-sleep", "yes"}}, "ab"},    // a chunk (then a sleep)
      {{{"x-flow", "chunks"}}, nullptr},                     // the first chunk
      {{{"x-flow", "callout"}, {"x-ms", "1000"}}, nullptr},  // a callout with a timeout
      {{{"x-flow", "sleep"}, {"x-ms", "1000"}}, nullptr},    // a sleep
      {{{"x-flow", "both"}}, nullptr},                       // when_all
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.headers[0].second);
    const size_t before = host().logs().size();
    const uint32_t s = request(c.headers);
    if (c.body) emu().send_request_body(s, c.body, false);
    emu().end_stream(s);
    const Logs all = log_messages();
    EXPECT_EQ(all.back(), "destroyed run");
    EXPECT_EQ(std::count(all.begin() + static_cast<long>(before), all.end(), "run done"), 0);
  }
  for (const HttpCallout& callout : host().http_callouts()) {
    emu().answer_http_call(callout.token, {{":status", "200"}});  // all late: dropped
  }
  const size_t logged = host().logs().size();
  emu().advance(5000);
  EXPECT_EQ(host().logs().size(), logged);
  EXPECT_EQ(host().tick_period_ms(root_), 0u);
}

}  // namespace
}  // namespace coproxy::testing
