-- wrk script: POST the file named by $BODY_FILE with the content type $CONTENT_TYPE.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
file:close()
