# expect: DBG301
# seed: destructive
Post.find_by(slug: "hello-world")&.destroy
