module github.com/httpmw/httpmw/bench

go 1.25.0

require (
	github.com/alexedwards/scs/v2 v2.9.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/gorilla/sessions v1.4.0
	github.com/httpmw/httpmw v0.0.0
	github.com/justinas/alice v1.2.0
)

require github.com/gorilla/securecookie v1.1.2 // indirect

replace github.com/httpmw/httpmw => ../
