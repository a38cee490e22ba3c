request.variables.set("from_file", "pre");
