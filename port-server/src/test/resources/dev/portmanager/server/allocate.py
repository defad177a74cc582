"""Allocates a port through the Port Manager server with nothing but Python's standard library.

Usage: allocate.py BASE_URL PROJECT SERVICE RANGE   (the token in $PORTMANAGER_TOKEN)
Prints the port; on an HTTP error prints "HTTP <status> <error>: <message>" and exits 1.
"""
import json
import os
import sys
import urllib.error
import urllib.request

base, project, service, port_range = sys.argv[1:5]
body = json.dumps({"project": project, "service": service, "range": port_range}).encode("utf-8")
request = urllib.request.Request(base + "/get-or-allocate", data=body, method="POST", headers={
    "Content-Type": "application/json",
    "Authorization": "Bearer " + os.environ.get("PORTMANAGER_TOKEN", ""),
})
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        print(json.load(response)["port"])
except urllib.error.HTTPError as e:
    error = json.load(e)
    print("HTTP %d %s: %s" % (e.code, error["error"], error["message"]))
    sys.exit(1)
