# expect: DBG302
# seed: non-idempotent
5.times { |i| Post.create!(title: "Post #{i}", body: "…") }
