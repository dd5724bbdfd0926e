module github.com/httpmw/httpmw/bench

go 1.25.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/go-chi/cors v1.2.2
	github.com/gorilla/handlers v1.5.2
	github.com/httpmw/httpmw v0.0.0
	github.com/justinas/alice v1.2.0
	github.com/rs/cors v1.11.1
)

require github.com/felixge/httpsnoop v1.0.3 // indirect

replace github.com/httpmw/httpmw => ../
