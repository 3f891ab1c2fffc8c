window.__THAR_CONFIG = {
  "userInfo" : {
    "accountId" : "1001",
    "userName" : "miaokafor",
    "displayName" : "Mia Okafor"
  },
  "archiveInfo" : {
    "sizeBytes" : "52344",
    "generationDate" : "2022-04-01T10:00:00.000Z",
    "isPartialArchive" : false,
    "maxPartSizeBytes" : "53687091200"
  }
}
