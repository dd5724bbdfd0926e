package session

import "net/http"

// keepRoute copies the route the router set on the request passed down
// back onto outer, the request the layers outside hold, so that logging and
// metrics see it. It runs deferred, for a handler that panics; New also
// copies it on a normal return, before the commit.
func (st *state) keepRoute(outer *http.Request) { outer.Pattern = st.req.Pattern }
