package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/full/demo"
)

// The load test's requests that the stack refuses or cuts short, each with
// the exact answer its layer gives.

// uploadSmall posts 100 KiB, under the demo's limit: served, every byte read.
func (c *loadClient) uploadSmall() error {
	const size = 100 << 10
	r, _ := http.NewRequest("POST", c.site+"/upload", bytes.NewReader(make([]byte, size)))
	_, body, err := c.do(r, http.StatusOK)
	if err != nil {
		return err
	}
	if got := strings.TrimSpace(string(body)); got != `{"received_bytes":`+strconv.Itoa(size)+`}` {
		return fmt.Errorf("answered %s", got)
	}
	return nil
}

// uploadBig posts twice the demo's limit: bodylimit answers 413.
func (c *loadClient) uploadBig() error {
	r, _ := http.NewRequest("POST", c.site+"/upload", bytes.NewReader(make([]byte, 2*demo.UploadLimit)))
	resp, body, err := c.do(r, http.StatusRequestEntityTooLarge)
	if err != nil {
		return err
	}
	return plain(resp, body, "Content Too Large\n")
}

// slow asks for work past the demo's deadline: timeout answers 503 when
// the deadline passes, not when the work would have ended.
func (c *loadClient) slow() error {
	r, _ := http.NewRequest("GET", c.site+"/slow?ms=10000", nil)
	resp, body, err := c.do(r, http.StatusServiceUnavailable)
	if err != nil {
		return err
	}
	return plain(resp, body, "Service Unavailable: the request took too long\n")
}

// panics calls the API's panicking handler from the page's origin:
// recovery's 500 problem, readable cross-origin, with the request's ID.
func (c *loadClient) panics() error {
	r, _ := http.NewRequest("GET", c.api+"/panic", nil)
	r.Header.Set("Origin", c.site)
	resp, body, err := c.do(r, http.StatusInternalServerError)
	if err != nil {
		return err
	}
	id := resp.Header.Get(correlation.DefaultHeader)
	want := `{"type":"about:blank","title":"Internal Server Error","status":500,"correlation_id":"` + id + `"}`
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" || strings.TrimSpace(string(body)) != want {
		return fmt.Errorf("answered %s (%s), want %s", body, ct, want)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != c.site {
		return fmt.Errorf("Access-Control-Allow-Origin %q on the 500", got)
	}
	return nil
}

// burstSize is how many requests a burst sends to /limited at once: the
// demo's limit (5 per 10 s, one more every 2 s) and two more.
const burstSize = 7

// burstResult is one burst's outcome: how many of its requests were
// allowed and refused, and the time from the first request sent to the
// last answer received.
type burstResult struct {
	allowed, refused int
	span             time.Duration
}

// burstAllowed is how many requests of a burst that spanned span the
// demo's limit lets through: 5, and one more for every 2 s it lasted (the
// limit refills one request every 2 s).
func burstAllowed(span time.Duration) int { return min(burstSize, 5+int(span/(2*time.Second))) }

// burst sends burstSize requests to /limited at once, as the page's burst
// button does, as a client of its own: a proxy on loopback (trusted by
// proxyheaders) names an address no other burst uses in X-Forwarded-For,
// so ratelimit counts it alone. The requests alternate between the
// instances. With one store shared by them, exactly 5 are allowed (more
// only if the burst outlasted a refill) with RateLimit's remaining counts
// 4 down to 0 each once, and the rest refused 429 with Retry-After and the
// problem body.
func (c *loadClient) burst() error {
	addr := fmt.Sprintf("10.%d.%d.%d", c.id, len(c.bursts)/250, len(c.bursts)%250+1)
	type answer struct {
		site string
		resp *http.Response
		body []byte
		err  error
	}
	answers := make([]answer, burstSize)
	var wg sync.WaitGroup
	begin := time.Now()
	for k := range answers {
		in := c.instances[k%len(c.instances)]
		site := c.site
		if len(c.instances) > 1 {
			site = in.site.URL
		}
		r, _ := http.NewRequest("GET", in.api.URL+"/limited", nil)
		r.Header.Set("Origin", site)
		r.Header.Set("X-Forwarded-For", addr)
		answers[k].site = site
		wg.Go(func() { answers[k].resp, answers[k].body, answers[k].err = fetch(c.http, r) })
	}
	wg.Wait()
	res := burstResult{span: time.Since(begin)}
	remaining := map[string]int{}
	for k, a := range answers {
		c.n++
		if a.err != nil {
			return fmt.Errorf("a request of the burst from %s: %v", addr, a.err)
		}
		status := http.StatusTooManyRequests
		if a.resp.StatusCode == http.StatusOK {
			status = http.StatusOK
		}
		if err := c.check(a.resp, a.body, status); err != nil {
			return fmt.Errorf("a request of the burst from %s: %v", addr, err)
		}
		h := a.resp.Header
		if h.Get("RateLimit-Policy") != `"demo";q=5;w=10` || h.Get("Access-Control-Allow-Origin") != a.site {
			return fmt.Errorf("request %d of the burst: RateLimit-Policy %q, Access-Control-Allow-Origin %q", k+1, h.Get("RateLimit-Policy"), h.Get("Access-Control-Allow-Origin"))
		}
		rl, _, _ := strings.Cut(h.Get("RateLimit"), ";t=")
		if status == http.StatusOK {
			res.allowed++
			remaining[rl]++
			if h.Get("Retry-After") != "" || strings.TrimSpace(string(a.body)) != `{"message":"within the limit"}` {
				return fmt.Errorf("request %d of the burst: 200 with Retry-After %q, body %s", k+1, h.Get("Retry-After"), a.body)
			}
			continue
		}
		res.refused++
		var problem struct {
			Status   int      `json:"status"`
			Policies []string `json:"violated-policies"`
		}
		ra := h.Get("Retry-After")
		if err := json.Unmarshal(a.body, &problem); err != nil || h.Get("Content-Type") != "application/problem+json" ||
			problem.Status != 429 || len(problem.Policies) != 1 || problem.Policies[0] != "demo" ||
			(ra != "1" && ra != "2") || rl != `"demo";r=0` {
			return fmt.Errorf("request %d of the burst: 429 with Retry-After %q, RateLimit %q, body %s", k+1, ra, h.Get("RateLimit"), a.body)
		}
	}
	c.bursts = append(c.bursts, res)
	if want := burstAllowed(res.span); res.allowed != want && res.allowed != 5 {
		return fmt.Errorf("a burst from %s over %v: %d allowed, %d refused; want 5 (at most %d)", addr, res.span, res.allowed, res.refused, want)
	}
	if res.allowed == 5 {
		for r := range 5 {
			if remaining[`"demo";r=`+strconv.Itoa(r)] != 1 {
				return fmt.Errorf("a burst from %s: the allowed answers' RateLimit remaining counts %v, want 0 to 4 once each", addr, remaining)
			}
		}
	}
	return nil
}

// forgedHost sends the page with a Host the demo does not serve:
// trustedhost answers 400 before any other layer sees it.
func (c *loadClient) forgedHost() error {
	r, _ := http.NewRequest("GET", c.site+"/", nil)
	r.Host = "evil.example"
	resp, body, err := c.do(r, http.StatusBadRequest)
	if err != nil {
		return err
	}
	return plain(resp, body, "Invalid host header")
}

// crossOrigin posts to the session counter as a form on another site
// would: csrf answers 403 and the counter is left alone (the client's next
// POST /counter checks it counts on from its own last value).
func (c *loadClient) crossOrigin() error {
	r, _ := http.NewRequest("POST", c.site+"/counter", strings.NewReader("n=1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", "https://evil.example")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, body, err := c.do(r, http.StatusForbidden)
	if err != nil {
		return err
	}
	return plain(resp, body, "Forbidden: cross-origin request refused\n")
}
