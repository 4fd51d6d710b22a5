-- wrk script: a different site search on every request, two words of forty in either sort
-- (3,200 searches), so that most requests find nothing kept (bench/home.py).
local words = {
  "hate", "crime", "information", "sharing", "agreement", "anti-social", "behaviour", "mou",
  "retention", "partners", "council", "police", "restorative", "justice", "homelessness",
  "offender", "management", "steering", "group", "consent", "victims", "referral", "data",
  "protection", "training", "users", "supervisors", "case", "records", "sussex", "manchester",
  "youth", "fly-tipping", "taxi", "licensing", "evaluation", "outcome", "community", "trigger",
  "safeguarding",
}
local sorts = { "", "&sort=newest" }

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local a = words[math.random(#words)]
  local b = words[math.random(#words)]
  return wrk.format(nil, "/search/?q=" .. a .. "+" .. b .. sorts[math.random(#sorts)])
end
